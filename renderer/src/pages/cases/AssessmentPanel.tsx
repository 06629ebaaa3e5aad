// What the rule engine says about the claim being typed: timeliness, the responsible
// platform, 第十二条 and 第十八条 hits, possible duplicates, and 小伤快办 eligibility.
import { Alert, Card, List, Space, Tag, Typography } from 'antd';
import type { Assessment } from '../../../../shared/api/methods/cases';
import { navigate } from '../../shell/useHashRoute';

export function AssessmentPanel({ a, nameOf }: { a: Assessment | undefined; nameOf: (code: string | null) => string }) {
  if (!a)
    return (
      <Card title="受理预审" size="small">
        填写信息后在此显示规则校验结果。
      </Card>
    );
  return (
    <Card title="受理预审（规则引擎）" size="small" data-testid="assessment">
      <Space direction="vertical" style={{ width: '100%' }}>
        {a.idNumber.message && <Alert type={a.idNumber.ok ? 'success' : 'error'} showIcon message={`身份证号码：${a.idNumber.message}`} />}
        {a.registeredName && (
          <Alert type="warning" showIcon message={`该身份证号码已登记的姓名为“${a.registeredName}”，与填写的姓名不一致，请核对证件`} />
        )}
        <Alert
          type={a.timeliness.limitDays === 0 ? 'info' : a.timeliness.inTime ? 'success' : 'warning'}
          showIcon
          message={a.timeliness.message}
          description={
            a.timeliness.platformDue ? (
              <span data-testid="limits">
                平台企业申请时限至 {a.timeliness.platformDue}
                {a.timeliness.platformDueCertain ? '' : '（节假日顺延待核）'}；本人、近亲属或工会申请时限至 {a.timeliness.othersDue}
                {a.timeliness.othersDueCertain ? '' : '（节假日顺延待核）'}
              </span>
            ) : undefined
          }
        />
        {a.timeliness.platformBearsCostsFrom && (
          <Alert
            type="warning"
            showIcon
            message={`第十五条：${a.timeliness.platformBearsCostsFrom} 至 ${a.timeliness.platformBearsCostsTo} 期间发生的待遇费用由平台企业承担`}
          />
        )}
        <div>
          <Typography.Text strong>责任平台：</Typography.Text>{' '}
          {a.responsiblePlatform.platform ? <Tag color="blue">{nameOf(a.responsiblePlatform.platform)}</Tag> : '—'}
          <div style={{ color: '#888' }}>{a.responsiblePlatform.reason}</div>
        </div>
        {a.exclusions.map((e) => (
          <Alert key={e.code} type="error" showIcon message={`${e.article}：${e.label}，不得确认为职业伤害`} />
        ))}
        {a.doubleClaim.hit && <Alert type="error" showIcon message={a.doubleClaim.message} />}
        {a.duplicates.length > 0 && (
          <Alert
            type="warning"
            showIcon
            message="疑似重复申请：同一人员、同一事故日期已有登记"
            description={
              <List
                size="small"
                dataSource={a.duplicates}
                renderItem={(d) => (
                  <List.Item>
                    <a onClick={() => navigate(`intake/case/${d.caseId}`)}>{d.registrationNo}</a>（事故日期 {d.accidentDate}）
                  </List.Item>
                )}
              />
            }
          />
        )}
        <Alert
          type={a.fastTrack.eligible ? 'info' : 'warning'}
          showIcon
          message={a.fastTrack.eligible ? '符合小伤快办条件（材料齐全后可快速办理）' : '不适用小伤快办'}
          description={a.fastTrack.eligible ? undefined : a.fastTrack.reasons.join('；')}
        />
        {a.problems.length > 0 && (
          <Alert
            type="error"
            showIcon
            message="需要修改"
            description={
              <ul style={{ margin: 0, paddingLeft: 18 }}>
                {a.problems.slice(0, 8).map((p, i) => (
                  <li key={i}>{p.message}</li>
                ))}
              </ul>
            }
          />
        )}
      </Space>
    </Card>
  );
}
