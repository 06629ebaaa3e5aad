// The appraisal committee's expert pool (专家库): specialties, organisation, availability and
// the platforms an expert is tied to (回避).
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Select, Switch, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { Expert } from '../../../../shared/api/methods/appraisal';
import { CATEGORIES, CATEGORY_LABELS } from '../../../../shared/appraisal/enums';
import { usePlatforms } from '../cases/usePlatforms';

type Row = Expert & { id: string };

export function ExpertsTab() {
  const expertsSave = useRpcMutation('experts.save');
  const { message } = App.useApp();
  const { options, nameOf } = usePlatforms();
  const experts = useRpcQuery('experts.list', {});
  const [editing, setEditing] = useState<Expert | null>(null);
  const [form] = Form.useForm<Omit<Expert, 'departments'> & { departments: string }>();

  function open(e: Expert) {
    form.setFieldsValue({ ...e, departments: e.departments.join('、') });
    setEditing(e);
  }
  async function save() {
    const v = await form.validateFields();
    try {
      await expertsSave.mutateAsync({
        ...v,
        id: editing?.id ?? null,
        departments: v.departments ? v.departments.split(/[、,，\s]+/).filter(Boolean) : [],
      });
      void message.success('已保存');
      setEditing(null);
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }
  return (
    <>
      <Button
        style={{ marginBottom: 12 }}
        onClick={() => open({ id: null, name: '', organisation: '', categories: [], departments: [], available: true, platformTies: [] })}
      >
        新增专家
      </Button>
      <Table<Row>
        rowKey="id"
        size="small"
        loading={experts.isLoading}
        dataSource={experts.data ?? []}
        pagination={{ pageSize: 20, showSizeChanger: false }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '工作单位', dataIndex: 'organisation' },
          { title: '门类', render: (_, e) => e.categories.map((c) => <Tag key={c}>{CATEGORY_LABELS[c]}</Tag>) },
          { title: '科室', render: (_, e) => e.departments.join('、') },
          { title: '关联平台（回避）', render: (_, e) => e.platformTies.map(nameOf).join('、') || '—' },
          { title: '可参加', render: (_, e) => (e.available ? '是' : '否') },
          {
            title: '操作',
            render: (_, e) => (
              <Button size="small" onClick={() => open(e)}>
                编辑
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={!!editing}
        title={editing?.id ? `编辑专家：${editing.name}` : '新增专家'}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="organisation" label="工作单位" rules={[{ required: true, message: '请填写工作单位' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="categories" label="门类（GB/T 16180）" rules={[{ required: true, message: '请至少选择一个门类' }]}>
            <Select mode="multiple" options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} />
          </Form.Item>
          <Form.Item name="departments" label="临床科室（以顿号分隔）">
            <Input />
          </Form.Item>
          <Form.Item name="platformTies" label="关联平台（需回避）">
            <Select mode="multiple" options={options} />
          </Form.Item>
          <Form.Item name="available" label="可参加鉴定" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
