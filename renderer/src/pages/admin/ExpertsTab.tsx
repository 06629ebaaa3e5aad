// The appraisal committee's expert pool (专家库): specialties, organisation, availability, the
// platforms an expert is tied to (回避), and the 鉴定专家 account that signs in as the expert
// (it then sees the cases of the hearings the expert sits on, nothing else).
import { useState } from 'react';
import { App, Button, Form, Input, Modal, Switch, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { Expert } from '../../../../shared/api/methods/appraisal';
import { CATEGORIES, CATEGORY_LABELS } from '../../../../shared/appraisal/enums';
import { usePlatforms } from '../cases/usePlatforms';
import { Choice } from '../../forms/Choice';

type Row = Expert & { id: string; userId: string | null };

export function ExpertsTab() {
  const expertsSave = useRpcMutation('experts.save');
  const { message } = App.useApp();
  const { options, nameOf } = usePlatforms();
  const experts = useRpcQuery('experts.list', {});
  const users = useRpcQuery('users.list', {});
  const expertAccounts = (users.data ?? []).filter((u) => u.roles.includes('appraisal_expert'));
  const accountName = (id: string | null | undefined) => {
    const u = (users.data ?? []).find((x) => x.id === id);
    return u ? `${u.displayName}（${u.username}）` : '—';
  };
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
        userId: v.userId ?? null,
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
        onClick={() =>
          open({ id: null, name: '', organisation: '', categories: [], departments: [], available: true, platformTies: [], userId: null })
        }
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
          { title: '登录账号', render: (_, e) => accountName(e.userId) },
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
            <Choice mode="multiple" options={CATEGORIES.map((c) => ({ value: c, label: CATEGORY_LABELS[c] }))} />
          </Form.Item>
          <Form.Item name="departments" label="临床科室（以顿号分隔）">
            <Input />
          </Form.Item>
          <Form.Item name="platformTies" label="关联平台（需回避）">
            <Choice mode="multiple" options={options} />
          </Form.Item>
          <Form.Item name="available" label="可参加鉴定" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item
            name="userId"
            label="登录账号（鉴定专家角色）"
            extra="关联后，该账号只能查看此专家参加的鉴定专场中的案件，身份证号码和手机号码隐去部分数字"
          >
            <Choice
              allowClear
              placeholder="不关联"
              options={expertAccounts.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}）` }))}
            />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
