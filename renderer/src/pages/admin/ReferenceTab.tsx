// Reference data an administrator keeps until sync replaces it: the platform list and the
// platforms' accident reports (事故备案), imported from a JSON file.
import { useState } from 'react';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Switch, Table, Tag, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useRpcMutation } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { Platform } from '../../../../shared/api/methods/cases';
import { INDUSTRIES, INDUSTRY_LABELS } from '../../../../shared/cases/enums';
import { usePlatforms } from '../cases/usePlatforms';
import { Choice } from '../../forms/Choice';

export function ReferenceTab() {
  const accidentReportsImport = useRpcMutation('accidentReports.import');
  const platformsSave = useRpcMutation('platforms.save');
  const { platforms } = usePlatforms();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<Platform | null>(null);
  const [form] = Form.useForm<Platform>();
  const [importResult, setImportResult] = useState<{ type: 'success' | 'error'; text: string } | null>(null);

  async function save() {
    const v = await form.validateFields();
    try {
      await platformsSave.mutateAsync({ ...v, creditCode: v.creditCode || null, legalName: v.legalName || null });
      void message.success('平台已保存');
      setEditing(null);
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }

  async function importFile(file: File) {
    setImportResult(null);
    let reports: unknown[];
    try {
      const parsed = JSON.parse(await file.text()) as unknown;
      reports = Array.isArray(parsed) ? parsed : ((parsed as { reports?: unknown[] }).reports ?? []);
    } catch {
      setImportResult({ type: 'error', text: '文件不是有效的 JSON，请检查后重试' });
      return;
    }
    try {
      const r = await accidentReportsImport.mutateAsync({ reports });
      setImportResult({ type: 'success', text: `已导入 ${r.imported} 条事故备案，跳过已存在的 ${r.skipped} 条` });
    } catch (e) {
      setImportResult({ type: 'error', text: errorMessage(e) });
    }
  }

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card
        size="small"
        title="平台名录"
        extra={
          <Button
            onClick={() => {
              form.resetFields();
              form.setFieldsValue({ active: true, creditCode: null, legalName: null });
              setEditing({ code: '', name: '', legalName: null, industry: 'instant_delivery', creditCode: null, active: true });
            }}
          >
            新增平台
          </Button>
        }
      >
        <Table<Platform>
          rowKey="code"
          size="small"
          pagination={false}
          dataSource={platforms}
          columns={[
            { title: '名称', dataIndex: 'name' },
            {
              title: '法人名称（文书抬头）',
              dataIndex: 'legalName',
              render: (v: string | null) => v ?? <Tag color="orange">未登记，不能出具致平台企业的文书</Tag>,
            },
            { title: '行业', dataIndex: 'industry', render: (v: Platform['industry']) => INDUSTRY_LABELS[v] },
            { title: '统一社会信用代码', dataIndex: 'creditCode', render: (v: string | null) => v ?? '—' },
            { title: '状态', dataIndex: 'active', render: (v: boolean) => (v ? '启用' : '停用') },
            {
              title: '操作',
              render: (_, p) => (
                <Button
                  size="small"
                  onClick={() => {
                    form.setFieldsValue(p);
                    setEditing(p);
                  }}
                >
                  编辑
                </Button>
              ),
            },
          ]}
        />
      </Card>
      <Card size="small" title="导入平台事故备案（JSON 文件）">
        <Space direction="vertical">
          <span style={{ color: '#666' }}>
            文件为备案记录数组（各字段见使用手册“受理”一章的事故备案文件说明），平台以导入代码标明。任何一条有误则整批不导入。
          </span>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={(f) => (void importFile(f), false)}>
            <Button icon={<UploadOutlined />}>选择文件并导入</Button>
          </Upload>
          {importResult && <Alert type={importResult.type} showIcon message={importResult.text} />}
        </Space>
      </Card>
      <Modal
        open={!!editing}
        title={editing?.code ? `编辑平台：${editing.name}` : '新增平台'}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" preserve={false} initialValues={editing ?? undefined}>
          <Form.Item
            name="code"
            label="导入代码"
            extra="事故备案文件中标明这个平台的代码，保存后不能修改"
            rules={[{ required: true, message: '请填写导入代码' }]}
          >
            <Input disabled={!!editing?.code} />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, message: '请填写平台名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="industry" label="行业" rules={[{ required: true }]}>
            <Choice options={INDUSTRIES.map((i) => ({ value: i, label: INDUSTRY_LABELS[i] }))} />
          </Form.Item>
          <Form.Item
            name="legalName"
            label="平台企业法人名称"
            extra="致平台企业的结论书、告知书和送达回证写明法人名称，而不是品牌名称（例如本省平台服务机构的营业执照名称）"
          >
            <Input maxLength={80} />
          </Form.Item>
          <Form.Item name="creditCode" label="统一社会信用代码">
            <Input maxLength={18} />
          </Form.Item>
          <Form.Item name="active" label="启用" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
