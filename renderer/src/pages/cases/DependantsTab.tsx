// 供养亲属: each dependant with the facts that give or end eligibility (relation, sex, birth date,
// support, inability to work, 孤儿/孤寡老人, study, the nearer relatives gone, an ending event),
// and what the rule pack makes of them: eligible or not, why, and until when.
import { useState } from 'react';
import { Alert, App, Button, Checkbox, Col, Form, Input, Modal, Row, Space, Table, Tag } from 'antd';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import type { CaseDetail, DependantInput } from '../../../../shared/api/methods/cases';
import type { ApiOutput } from '../../../../shared/api/contract';
import {
  DEPENDANT_END_LABELS,
  DEPENDANT_END_REASONS,
  DEPENDANT_RELATION_LABELS,
  DEPENDANT_RELATIONS,
  SEX_LABELS,
  SEXES,
} from '../../../../shared/rules/benefit-facts';
import type { SessionInfo } from '../../App';
import { DateField } from '../../forms/DateField';
import { Choice } from '../../forms/Choice';

type Row = ApiOutput<'dependants.list'>[number];
type Values = Omit<DependantInput, 'ended' | 'id'> & {
  endDate?: string;
  endReason?: DependantInput['ended'] extends infer E ? (E extends { reason: infer R } ? R : never) : never;
};

const nearer: Record<string, string> = {
  grandparent: '死者父母均已死亡',
  grandchild: '死者子女已死亡或完全丧失劳动能力',
  sibling: '死者父母均已死亡或完全丧失劳动能力',
};

const EMPTY: Partial<Values> = {
  dependent: true,
  fullyDisabled: false,
  orphanOrSolitaryElder: false,
  student: false,
  nearerRelativesGone: false,
  note: '',
};

export function DependantsTab({ c, session }: { c: CaseDetail; session: SessionInfo }) {
  const q = useRpcQuery('dependants.list', { caseId: c.id });
  const saveDependant = useRpcMutation('dependants.save');
  const removeDependant = useRpcMutation('dependants.remove');
  const { message, modal } = App.useApp();
  const [editing, setEditing] = useState<Row | 'new' | null>(null);
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const canEdit = session.user.roles.some((r) => r === 'intake_clerk' || r === 'benefit_officer');
  const relation = Form.useWatch('relation', form);

  function open(row: Row | 'new') {
    setError(null);
    form.resetFields();
    form.setFieldsValue(row === 'new' ? EMPTY : { ...row, endDate: row.ended?.date, endReason: row.ended?.reason });
    setEditing(row);
  }

  async function save() {
    const v = await form.validateFields();
    const dependant: DependantInput = {
      id: editing && editing !== 'new' ? editing.id : null,
      name: v.name,
      relation: v.relation,
      sex: v.sex,
      birthDate: v.birthDate,
      // A checkbox not shown for this relation is not in the form's values: it is not ticked.
      dependent: v.dependent ?? true,
      fullyDisabled: v.fullyDisabled ?? false,
      orphanOrSolitaryElder: v.orphanOrSolitaryElder ?? false,
      student: v.student ?? false,
      nearerRelativesGone: (relation && nearer[relation] ? v.nearerRelativesGone : false) ?? false,
      ended: v.endDate && v.endReason ? { date: v.endDate, reason: v.endReason } : null,
      note: v.note ?? '',
    };
    try {
      await saveDependant.mutateAsync({ caseId: c.id, dependant });
      void message.success('供养亲属已保存');
      setEditing(null);
    } catch (e) {
      setError(applyFieldErrors(form, e));
    }
  }

  function remove(row: Row) {
    let reason = '';
    modal.confirm({
      title: `删除供养亲属“${row.name}”？`,
      content: <Input placeholder="删除理由（必填）" aria-label="删除理由" onChange={(e) => (reason = e.target.value)} />,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await removeDependant.mutateAsync({ caseId: c.id, id: row.id, reason });
        } catch (e) {
          void message.error(errorMessage(e));
          throw e;
        }
      },
    });
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!c.death && <Alert type="info" showIcon message="登记死亡后才能登记供养亲属" />}
      <Table<Row>
        rowKey="id"
        size="small"
        pagination={false}
        loading={q.isLoading}
        dataSource={q.data ?? []}
        locale={{ emptyText: '尚未登记供养亲属' }}
        columns={[
          { title: '姓名', dataIndex: 'name' },
          { title: '关系', render: (_, d) => DEPENDANT_RELATION_LABELS[d.relation] },
          { title: '性别', render: (_, d) => SEX_LABELS[d.sex] },
          { title: '出生日期', dataIndex: 'birthDate' },
          { title: '死亡时年龄', dataIndex: 'ageAtDeath', render: (v: number | null) => (v === null ? '—' : `${v} 周岁`) },
          {
            title: '情形',
            render: (_, d) => (
              <Space size={2} wrap>
                {!d.dependent && <Tag>不依靠死者生活</Tag>}
                {d.fullyDisabled && <Tag>完全丧失劳动能力</Tag>}
                {d.orphanOrSolitaryElder && (
                  <Tag color="blue">{['spouse', 'parent', 'grandparent'].includes(d.relation) ? '孤寡老人' : '孤儿'}</Tag>
                )}
                {d.student && <Tag>在校学习</Tag>}
                {d.nearerRelativesGone && <Tag>{nearer[d.relation] ?? '近亲属已故'}</Tag>}
                {d.ended && <Tag color="red">{`${d.ended.date} ${DEPENDANT_END_LABELS[d.ended.reason]}`}</Tag>}
              </Space>
            ),
          },
          {
            title: '资格',
            render: (_, d) =>
              d.eligibility ? (
                <span>
                  <Tag color={d.eligibility.eligible ? 'green' : 'default'}>{d.eligibility.eligible ? '符合' : '不符合'}</Tag>
                  {d.eligibility.until ? `发至 ${d.eligibility.until}；` : ''}
                  {d.eligibility.reason}（{d.eligibility.article}）
                </span>
              ) : (
                '—'
              ),
          },
          ...(canEdit
            ? [
                {
                  title: '操作',
                  render: (_: unknown, d: Row) => (
                    <Space>
                      <Button size="small" onClick={() => open(d)}>
                        修改
                      </Button>
                      <Button size="small" danger onClick={() => remove(d)}>
                        删除
                      </Button>
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {canEdit && c.death && (
        <Button onClick={() => open('new')} type="primary">
          添加供养亲属
        </Button>
      )}
      <Modal
        open={editing !== null}
        title={editing === 'new' ? '添加供养亲属' : '修改供养亲属'}
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        width={720}
        destroyOnHidden
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
        <Form form={form} layout="vertical">
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item name="name" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
                <Input maxLength={30} aria-label="供养亲属姓名" />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="relation" label="与死者关系" rules={[{ required: true, message: '请选择关系' }]}>
                <Choice
                  aria-label="与死者关系"
                  options={DEPENDANT_RELATIONS.map((r) => ({ value: r, label: DEPENDANT_RELATION_LABELS[r] }))}
                />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="sex" label="性别" rules={[{ required: true, message: '请选择' }]}>
                <Choice aria-label="性别" options={SEXES.map((s) => ({ value: s, label: SEX_LABELS[s] }))} />
              </Form.Item>
            </Col>
            <Col span={4}>
              <Form.Item name="birthDate" label="出生日期" rules={[{ required: true, message: '请填写' }]}>
                <DateField aria-label="出生日期" />
              </Form.Item>
            </Col>
          </Row>
          <Space wrap size="large">
            <Form.Item name="dependent" valuePropName="checked" noStyle>
              <Checkbox>依靠死者生前提供主要生活来源</Checkbox>
            </Form.Item>
            <Form.Item name="fullyDisabled" valuePropName="checked" noStyle>
              <Checkbox>完全丧失劳动能力</Checkbox>
            </Form.Item>
            <Form.Item name="orphanOrSolitaryElder" valuePropName="checked" noStyle>
              <Checkbox>孤儿或孤寡老人（加发 10%）</Checkbox>
            </Form.Item>
            <Form.Item name="student" valuePropName="checked" noStyle>
              <Checkbox>在校学习</Checkbox>
            </Form.Item>
            {relation && nearer[relation] && (
              <Form.Item name="nearerRelativesGone" valuePropName="checked" noStyle>
                <Checkbox>{nearer[relation]}</Checkbox>
              </Form.Item>
            )}
          </Space>
          <Row gutter={12} style={{ marginTop: 16 }}>
            <Col span={8}>
              <Form.Item name="endReason" label="停发情形（如有）">
                <Choice
                  allowClear
                  aria-label="停发情形"
                  options={DEPENDANT_END_REASONS.map((r) => ({ value: r, label: DEPENDANT_END_LABELS[r] }))}
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name="endDate" label="发生日期">
                <DateField aria-label="停发日期" />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="note" label="备注">
            <Input maxLength={200} />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
