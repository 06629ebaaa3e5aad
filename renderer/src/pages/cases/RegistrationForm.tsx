// The walk-in registration, in one keyboard-friendly form: worker, accident, applicant and
// treatment, with the platform's accident report pulled in instead of re-typed, and the rule
// engine's assessment updating beside it as the clerk types.
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Divider, Form, Input, List, Radio, Row, Space, Typography } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { invoke } from '../../transport';
import { useRpcMutation, useRpcQuery } from '../../rpc';
import { applyFieldErrors, errorMessage } from '../../errors';
import { ApiError } from '../../../../shared/api/errors';
import type { AccidentReportView, Registration } from '../../../../shared/api/methods/cases';
import {
  APPLICANT_KINDS,
  APPLICANT_LABELS,
  EXCLUSIONS,
  EXCLUSION_LABELS,
  INDUSTRIES,
  INDUSTRY_LABELS,
} from '../../../../shared/cases/enums';
import { AssessmentPanel } from './AssessmentPanel';
import { CircumstanceFields, circumstanceValue } from './CircumstanceFields';
import { usePlatforms } from './usePlatforms';
import { DateField, localNow, notInFuture } from '../../forms/DateField';
import { Choice } from '../../forms/Choice';

interface FormValues {
  worker: Registration['worker'];
  accident: Omit<Registration['accident'], 'injuries' | 'circumstance'> & { injuries: string; circumstance?: Record<string, unknown> };
  applicant: Registration['applicant'];
  treatment: Registration['treatment'];
}

function toRegistration(v: Partial<FormValues>, accidentReportId: string | null): unknown {
  return {
    accidentReportId,
    worker: { ...v.worker, platforms: v.worker?.platforms ?? [] },
    accident: {
      ...v.accident,
      injuries: (v.accident?.injuries ?? '')
        .split(/\n+/)
        .map((s) => s.trim())
        .filter(Boolean),
      orders: (v.accident?.orders ?? []).map((o) => ({ ...o, finishedAt: o?.finishedAt ? o.finishedAt : null })),
      trafficAccident: v.accident?.trafficAccident ?? false,
      exclusions: v.accident?.exclusions ?? [],
      alsoWorkInjuryClaim: v.accident?.alsoWorkInjuryClaim ?? false,
      circumstance: circumstanceValue(v.accident?.circumstance),
    },
    applicant: v.applicant,
    treatment: { outpatientOnly: false, hospitalized: false, factsClear: false, disputed: false, ...v.treatment },
  };
}

/**
 * A half-typed registration survives leaving the page: kept in this window's session storage
 * (gone when the window closes, never sent anywhere) and restored on return until it is registered.
 */
const DRAFT_KEY = 'oip.registration-draft';
function loadDraft(): Partial<FormValues> | null {
  try {
    const raw = window.sessionStorage.getItem(DRAFT_KEY);
    return raw ? (JSON.parse(raw) as Partial<FormValues>) : null;
  } catch {
    return null;
  }
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

export function RegistrationForm({ onRegistered }: { onRegistered: (caseId: string) => void }) {
  const casesRegister = useRpcMutation('cases.register');
  const [form] = Form.useForm<FormValues>();
  const { message, modal } = App.useApp();
  const { options, nameOf } = usePlatforms();
  const [reportId, setReportId] = useState<string | null>(null);
  const [reportQuery, setReportQuery] = useState('');
  const [reports, setReports] = useState<AccidentReportView[] | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const values = Form.useWatch([], form) as Partial<FormValues> | undefined;
  const draft = useDebounced(JSON.stringify(toRegistration(values ?? {}, reportId)), 300);
  const [restored] = useState(loadDraft);
  const saved = useDebounced(values ? JSON.stringify(values) : null, 500);
  useEffect(() => {
    if (saved && form.isFieldsTouched()) window.sessionStorage.setItem(DRAFT_KEY, saved);
  }, [saved, form]);

  // 本人 applies: the applicant is the worker, so the name follows the worker's.
  function onValuesChange(changed: Partial<FormValues>, all: Partial<FormValues>) {
    // The refusal was about what the clerk has now changed: it is not left standing over the corrected form.
    setError(null);
    const selfApplies = all.applicant?.kind === 'worker';
    if (selfApplies && (changed.applicant?.kind || changed.worker?.name !== undefined) && all.worker?.name)
      form.setFieldValue(['applicant', 'name'], all.worker.name);
  }
  const assessment = useRpcQuery('intake.assess', { draft: JSON.parse(draft) as unknown }, { placeholderData: (p) => p });

  async function findReports() {
    setError(null);
    try {
      setReports(await invoke('accidentReports.search', { q: reportQuery }));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  function applyReport(r: AccidentReportView) {
    setReportId(r.id);
    form.setFieldsValue({
      worker: { name: r.workerName, idNumber: r.idNumber, phone: r.phone, platforms: [r.platform] },
      accident: {
        at: r.accidentAt,
        place: r.place,
        description: r.description,
        orders: [
          { platform: r.platform, orderNo: r.orderNo, acceptedAt: r.orderAcceptedAt ?? r.accidentAt, finishedAt: r.orderFinishedAt },
        ],
      },
      applicant: { kind: 'platform', name: r.platformName },
    });
    setReports(null);
  }

  async function submit(v: FormValues, confirmRename = false) {
    setBusy(true);
    setError(null);
    try {
      const r = await casesRegister.mutateAsync({ ...(toRegistration(v, reportId) as Registration), confirmRename });
      window.sessionStorage.removeItem(DRAFT_KEY);
      void message.success(`已登记：${r.registrationNo}`);
      onRegistered(r.caseId);
    } catch (e) {
      // The ID number is registered under another name: the clerk chooses, nothing is renamed silently.
      if (e instanceof ApiError && e.code === 'CONFLICT' && e.fields?.some((f) => f.path === 'confirmRename')) {
        const registered = assessment.data?.registeredName ?? null;
        modal.confirm({
          title: '身份证号码已登记为其他姓名',
          content: e.message,
          okText: `确认更正为“${v.worker.name}”`,
          okButtonProps: { danger: true },
          cancelText: registered ? `改用已登记的“${registered}”` : '返回修改',
          onOk: () => submit(v, true),
          onCancel: () => {
            if (registered) form.setFieldValue(['worker', 'name'], registered);
          },
        });
        return;
      }
      setError(applyFieldErrors(form, e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Row gutter={16}>
      <Col span={15}>
        <Card size="small" title="平台事故备案（一键报案）" style={{ marginBottom: 12 }}>
          <Space.Compact style={{ width: '100%' }}>
            <Input
              placeholder="身份证号、备案编号、姓名、手机号或订单号"
              value={reportQuery}
              onChange={(e) => setReportQuery(e.target.value)}
              onPressEnter={() => void findReports()}
              aria-label="查找事故备案"
            />
            <Button onClick={() => void findReports()}>查找备案</Button>
          </Space.Compact>
          {reportId && (
            <Alert
              style={{ marginTop: 8 }}
              type="success"
              showIcon
              message="已引用平台事故备案，登记后将与之关联"
              action={
                <Button size="small" onClick={() => setReportId(null)}>
                  取消引用
                </Button>
              }
            />
          )}
          {reports && (
            <List
              size="small"
              locale={{ emptyText: '未找到备案，请按新事故登记' }}
              dataSource={reports}
              renderItem={(r) => (
                <List.Item
                  actions={[
                    r.caseId ? (
                      <Typography.Text type="secondary">已登记</Typography.Text>
                    ) : (
                      <Button size="small" type="link" onClick={() => applyReport(r)}>
                        引用
                      </Button>
                    ),
                  ]}
                >
                  {r.reportNo} · {r.workerName} · {r.platformName} · {r.accidentAt.replace('T', ' ')} · {r.place}
                </List.Item>
              )}
            />
          )}
        </Card>
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 12 }} data-testid="form-error" />}
        {restored && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            message="已恢复上次未登记完的内容"
            action={
              <Button
                size="small"
                onClick={() => {
                  window.sessionStorage.removeItem(DRAFT_KEY);
                  form.resetFields();
                }}
              >
                清空重填
              </Button>
            }
          />
        )}
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          onValuesChange={onValuesChange}
          scrollToFirstError={{ block: 'center', focus: true }}
          initialValues={
            restored ?? {
              accident: {
                orders: [{}],
                exclusions: [],
                trafficAccident: false,
                alsoWorkInjuryClaim: false,
              },
              applicant: { applicationDate: localNow().date },
              treatment: { outpatientOnly: false, hospitalized: false, factsClear: false, disputed: false },
            }
          }
        >
          <Divider titlePlacement="start">人员</Divider>
          <Row gutter={12}>
            <Col span={6}>
              <Form.Item name={['worker', 'name']} label="姓名" rules={[{ required: true, message: '请输入姓名' }]}>
                <Input autoFocus />
              </Form.Item>
            </Col>
            <Col span={10}>
              <Form.Item
                name={['worker', 'idNumber']}
                label="身份证号码"
                rules={[{ required: true, message: '请输入身份证号码' }]}
                validateStatus={assessment.data?.idNumber.message ? (assessment.data.idNumber.ok ? 'success' : 'error') : undefined}
                // An empty check message would hide the 请输入身份证号码 of an empty field.
                help={
                  assessment.data?.idNumber.ok === false && assessment.data.idNumber.message ? assessment.data.idNumber.message : undefined
                }
              >
                <Input maxLength={18} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={['worker', 'phone']} label="手机号码" rules={[{ required: true, message: '请输入手机号码' }]}>
                <Input maxLength={11} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={['worker', 'industry']} label="行业" rules={[{ required: true, message: '请选择行业' }]}>
                <Choice options={INDUSTRIES.map((i) => ({ value: i, label: INDUSTRY_LABELS[i] }))} aria-label="行业" />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item name={['worker', 'platforms']} label="接单平台" rules={[{ required: true, message: '请至少选择一个接单平台' }]}>
                <Choice mode="multiple" options={options} aria-label="接单平台" />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start">事故</Divider>
          <Row gutter={12}>
            <Col span={8}>
              <Form.Item
                name={['accident', 'at']}
                label="事故时间"
                rules={[{ required: true, message: '请填写事故时间' }, notInFuture('事故时间')]}
              >
                <DateField withTime />
              </Form.Item>
            </Col>
            <Col span={16}>
              <Form.Item name={['accident', 'place']} label="事故地点" rules={[{ required: true, message: '请填写事故地点' }]}>
                <Input />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name={['accident', 'description']} label="事故经过" rules={[{ required: true, message: '请填写事故经过' }]}>
            <Input.TextArea rows={3} maxLength={2000} showCount />
          </Form.Item>
          <Form.Item name={['accident', 'injuries']} label="伤情（每行一处）" rules={[{ required: true, message: '请至少填写一处伤情' }]}>
            <Input.TextArea rows={2} />
          </Form.Item>
          <Form.List name={['accident', 'orders']}>
            {(fields, { add, remove }) => (
              <>
                {fields.map((f, i) => (
                  <Row gutter={8} key={f.key} align="bottom">
                    <Col span={5}>
                      <Form.Item
                        name={[f.name, 'platform']}
                        label={i === 0 ? '订单平台' : undefined}
                        rules={[{ required: true, message: '请选择平台' }]}
                      >
                        <Choice options={options} aria-label={`订单${i + 1}平台`} />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item
                        name={[f.name, 'orderNo']}
                        label={i === 0 ? '订单号' : undefined}
                        rules={[{ required: true, message: '请填写订单号' }]}
                      >
                        <Input aria-label={`订单${i + 1}订单号`} />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item
                        name={[f.name, 'acceptedAt']}
                        label={i === 0 ? '接单时间' : undefined}
                        rules={[{ required: true, message: '请填写接单时间' }]}
                      >
                        <DateField withTime aria-label={`订单${i + 1}接单时间`} />
                      </Form.Item>
                    </Col>
                    <Col span={6}>
                      <Form.Item name={[f.name, 'finishedAt']} label={i === 0 ? '完成时间（未完成可空）' : undefined}>
                        <DateField withTime aria-label={`订单${i + 1}完成时间`} />
                      </Form.Item>
                    </Col>
                    <Col span={1}>
                      {fields.length > 1 && (
                        <MinusCircleOutlined onClick={() => remove(f.name)} style={{ marginBottom: 32 }} aria-label="删除订单" />
                      )}
                    </Col>
                  </Row>
                ))}
                <Button type="dashed" onClick={() => add({})} icon={<PlusOutlined />} style={{ marginBottom: 16 }}>
                  添加同时执行的订单
                </Button>
              </>
            )}
          </Form.List>
          <Space wrap size="large">
            <Form.Item name={['accident', 'trafficAccident']} valuePropName="checked" noStyle>
              <Checkbox>交通事故</Checkbox>
            </Form.Item>
            <Form.Item name={['accident', 'alsoWorkInjuryClaim']} valuePropName="checked" noStyle>
              <Checkbox>同一事故已申请工伤认定</Checkbox>
            </Form.Item>
          </Space>
          <div style={{ marginTop: 12 }}>
            <CircumstanceFields form={form} name={['accident', 'circumstance']} platformOptions={options} />
          </div>
          <Form.Item name={['accident', 'exclusions']} label="第十二条情形（如有）" style={{ marginTop: 12 }}>
            <Checkbox.Group options={EXCLUSIONS.map((e) => ({ value: e, label: EXCLUSION_LABELS[e] }))} />
          </Form.Item>
          <Divider titlePlacement="start">申请人</Divider>
          <Row gutter={12}>
            <Col span={10}>
              <Form.Item name={['applicant', 'kind']} label="申请人类型" rules={[{ required: true, message: '请选择申请人类型' }]}>
                <Radio.Group options={APPLICANT_KINDS.map((k) => ({ value: k, label: APPLICANT_LABELS[k] }))} />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item name={['applicant', 'name']} label="申请人名称" rules={[{ required: true, message: '请填写申请人' }]}>
                <Input />
              </Form.Item>
            </Col>
            <Col span={6}>
              <Form.Item
                name={['applicant', 'applicationDate']}
                label="申请日期"
                rules={[{ required: true, message: '请填写申请日期' }, notInFuture('申请日期')]}
              >
                <DateField />
              </Form.Item>
            </Col>
          </Row>
          <Divider titlePlacement="start">治疗情况</Divider>
          <Space wrap size="large" style={{ marginBottom: 16 }}>
            <Form.Item name={['treatment', 'outpatientOnly']} valuePropName="checked" noStyle>
              <Checkbox>仅门诊或急诊</Checkbox>
            </Form.Item>
            <Form.Item name={['treatment', 'hospitalized']} valuePropName="checked" noStyle>
              <Checkbox>曾住院</Checkbox>
            </Form.Item>
            <Form.Item name={['treatment', 'factsClear']} valuePropName="checked" noStyle>
              <Checkbox>事实清楚</Checkbox>
            </Form.Item>
            <Form.Item name={['treatment', 'disputed']} valuePropName="checked" noStyle>
              <Checkbox>存在争议</Checkbox>
            </Form.Item>
          </Space>
          <div>
            <Button type="primary" htmlType="submit" loading={busy}>
              登记申请
            </Button>
          </div>
        </Form>
      </Col>
      <Col span={9}>
        <div style={{ position: 'sticky', top: 12 }}>
          <AssessmentPanel a={assessment.data} nameOf={nameOf} />
        </div>
      </Col>
    </Row>
  );
}
