// Settings an administrator can change: idle lock, sign-in lockout, separation of duties.
import { useEffect } from 'react';
import { App, Button, Form, Input, InputNumber, Switch } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors } from '../../errors';
import type { Settings } from '../../../../shared/api/methods/admin';
import { Choice } from '../../forms/Choice';

export function SettingsTab() {
  const settingsUpdate = useRpcMutation('settings.update');
  const [form] = Form.useForm<Settings>();
  const { message } = App.useApp();
  const settings = useRpcQuery('settings.get', {});
  const packs = useRpcQuery('rules.packs', {});
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  async function save(v: Settings) {
    try {
      await settingsUpdate.mutateAsync(v);
      void message.success('设置已保存');
    } catch (e) {
      void message.error(applyFieldErrors(form, e));
    }
  }

  return (
    <Form form={form} layout="horizontal" labelCol={{ span: 6 }} wrapperCol={{ span: 10 }} onFinish={(v) => void save(v)}>
      <Form.Item name="agencyName" label="经办机构名称">
        <Input />
      </Form.Item>
      <Form.Item name="jurisdiction" label="统筹地区（规则包）" rules={[{ required: true }]} extra="决定本机案件适用哪个地区的规则包">
        <Choice
          options={[...new Map((packs.data ?? []).map((p) => [p.jurisdiction, { value: p.jurisdiction, label: p.name }])).values()]}
        />
      </Form.Item>
      <Form.Item name="appraisalCommittee" label="市（州）劳动能力鉴定委员会" extra="初次鉴定和复查鉴定的受理委员会">
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="provincialCommittee" label="省级劳动能力鉴定委员会" extra="印在鉴定结论书的再次鉴定告知中">
        <Input />
      </Form.Item>
      <Form.Item name="idleLockMinutes" label="空闲锁定（分钟）" rules={[{ required: true }]}>
        <InputNumber min={1} max={240} />
      </Form.Item>
      <Form.Item name="maxLoginFailures" label="密码连续错误上限" rules={[{ required: true }]}>
        <InputNumber min={3} max={20} />
      </Form.Item>
      <Form.Item name="lockoutMinutes" label="账号锁定时长（分钟）" rules={[{ required: true }]}>
        <InputNumber min={1} max={1440} />
      </Form.Item>
      <Form.Item
        name="separationOfDuties"
        label="三岗分离"
        valuePropName="checked"
        extra="开启后，受理、确认、鉴定、待遇核定与复核须由不同人员办理"
      >
        <Switch />
      </Form.Item>
      <Form.Item wrapperCol={{ offset: 6 }}>
        <Button type="primary" htmlType="submit">
          保存设置
        </Button>
      </Form.Item>
    </Form>
  );
}
