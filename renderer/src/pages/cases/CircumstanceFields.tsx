// The 第十一条 circumstance as form fields: the item, and the facts its check needs (the commute's
// purpose, kind of accident and whether the worker was mainly responsible; a sudden death's time;
// the 残疾军人证 number …). Used in the registration form and in the case's circumstance editor.
import { Checkbox, Col, Form, Input, Radio, Row, type FormInstance } from 'antd';
import {
  CIRCUMSTANCE_ITEMS,
  CIRCUMSTANCE_LABELS,
  COMMUTE_ACCIDENT_LABELS,
  COMMUTE_ACCIDENTS,
  COMMUTE_PURPOSE_LABELS,
  COMMUTE_PURPOSES,
} from '../../../../shared/rules/injury-items';
import { DateField } from '../../forms/DateField';
import { Choice } from '../../forms/Choice';

export function CircumstanceFields({
  form,
  name,
  platformOptions,
}: {
  form: FormInstance;
  name: (string | number)[];
  platformOptions: { value: string; label: string }[];
}) {
  const item = Form.useWatch([...name, 'item'], form) as string | undefined;
  const purpose = Form.useWatch([...name, 'purpose'], form) as string | undefined;
  return (
    <>
      <Form.Item name={[...name, 'item']} label="第十一条情形" rules={[{ required: true, message: '请选择第十一条的情形' }]}>
        <Choice
          aria-label="第十一条情形"
          options={CIRCUMSTANCE_ITEMS.map((i) => ({ value: i, label: CIRCUMSTANCE_LABELS[i] }))}
          style={{ maxWidth: 560 }}
        />
      </Form.Item>
      {item === 'commute' && (
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name={[...name, 'purpose']} label="途中情形" rules={[{ required: true, message: '请选择途中情形' }]}>
              <Radio.Group options={COMMUTE_PURPOSES.map((p) => ({ value: p, label: COMMUTE_PURPOSE_LABELS[p] }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={[...name, 'accident']} label="事故类型" rules={[{ required: true, message: '请选择事故类型' }]}>
              <Choice aria-label="事故类型" options={COMMUTE_ACCIDENTS.map((a) => ({ value: a, label: COMMUTE_ACCIDENT_LABELS[a] }))} />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item name={[...name, 'notMainlyResponsible']} valuePropName="checked" label="事故责任认定书">
              <Checkbox>非本人主要责任</Checkbox>
            </Form.Item>
          </Col>
          {purpose === 'platform_management' && (
            <Col span={12}>
              <Form.Item
                name={[...name, 'managementPlatform']}
                label="要求接受管理的平台企业"
                rules={[{ required: true, message: '请选择平台企业' }]}
              >
                <Choice aria-label="要求接受管理的平台企业" options={platformOptions} />
              </Form.Item>
            </Col>
          )}
        </Row>
      )}
      {item === 'sudden_death' && (
        <Form.Item
          name={[...name, 'deathAt']}
          label="死亡时间（发病时间即事故时间）"
          rules={[{ required: true, message: '请填写死亡时间' }]}
          extra="执行订单期间死亡，或发病后 48 小时内经抢救无效死亡"
        >
          <DateField withTime aria-label="死亡时间" />
        </Form.Item>
      )}
      {item === 'public_interest' && (
        <Form.Item name={[...name, 'activity']} label="维护国家利益、公共利益的活动" rules={[{ required: true, message: '请填写活动' }]}>
          <Input maxLength={200} />
        </Form.Item>
      )}
      {item === 'veteran' && (
        <Form.Item
          name={[...name, 'certificateNo']}
          label="《中华人民共和国残疾军人证》编号"
          rules={[{ required: true, message: '请填写残疾军人证编号' }]}
          extra="残疾军人证列入材料清单；旧伤复发不享受一次性伤残补助金（第十一条第二款）"
        >
          <Input maxLength={40} style={{ maxWidth: 320 }} />
        </Form.Item>
      )}
      {item === 'other_law' && (
        <Form.Item name={[...name, 'legalBasis']} label="法律、行政法规依据" rules={[{ required: true, message: '请填写依据' }]}>
          <Input maxLength={200} />
        </Form.Item>
      )}
    </>
  );
}

/** The form's values as the contract wants them: only the chosen item's facts. */
export function circumstanceValue(v: Record<string, unknown> | undefined): unknown {
  const item = (v?.item as string | undefined) ?? 'order';
  switch (item) {
    case 'commute':
      return {
        item,
        purpose: v?.purpose,
        accident: v?.accident,
        notMainlyResponsible: v?.notMainlyResponsible === true,
        managementPlatform: v?.purpose === 'platform_management' ? (v?.managementPlatform ?? null) : null,
      };
    case 'sudden_death':
      return { item, deathAt: v?.deathAt };
    case 'public_interest':
      return { item, activity: v?.activity };
    case 'veteran':
      return { item, certificateNo: v?.certificateNo };
    case 'other_law':
      return { item, legalBasis: v?.legalBasis };
    default:
      return { item: 'order' };
  }
}
