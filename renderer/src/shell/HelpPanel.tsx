// The help panel (F1): the keyboard shortcuts, a short guide for each role the person holds,
// and the large-text setting.
import { Drawer, Switch, Table, Tabs, Typography, Space } from 'antd';
import type { Role } from '../../../shared/roles';
import { ROLE_LABELS } from '../../../shared/roles';
import { SHORTCUTS } from './shortcuts';
import { useLargeText } from './large-text';

/** A few lines per role: where the work is and in what order it is done. */
export const ROLE_GUIDES: Record<Role, string[]> = {
  intake_clerk: [
    '“受理大厅 → 新登记”（Alt + N）录入人员、事故、订单和申请人；右侧即时显示申请时限、责任平台、第十二条情形和是否符合小伤快办。',
    '在“材料”页勾选收到的材料并上传扫描件；材料不齐时出具一次性补正告知书，齐全后“受理”，系统给出受理编号。',
    '受理后录入医疗票据；确认为职业伤害后办理零星报销。首页列出临期和逾期的补正、报销期限。',
  ],
  confirmation_officer: [
    '“职业伤害确认”列出已受理待确认的案件，小伤快办在前，并显示确认期限（事实清楚 7 个工作日，其余 30 个工作日）。',
    '核实后“确认为职业伤害”或“不予确认”，填写依据条款、理由和调查核实情况；受理本案的人员不能作出确认（三岗分离）。',
    '案件页顶部的黄色“疑点”提示需复核的情况（依据和证据已列明）；核查后可写明理由清除，疑点不影响办理。',
  ],
  appraisal_secretary: [
    '“鉴定专场”：创建专场，安排已预审齐全的案件，抽取专家（记录种子和回避）。',
    '专场当天逐案登记到场和专家意见（↑/↓ 切换案件）；组长签发后，用“批量出具鉴定结论书”一次出具本专场全部结论书，可查看进度、取消并查看失败原因。',
    '专场结束后出具专场报告；“导出”可把专场结果存为 Excel 或 CSV。',
  ],
  appraisal_expert: ['在鉴定专场查看评定表和各专家意见；意见由鉴定秘书代为录入。'],
  appraisal_leader: [
    '在评定表中查看专家意见和多数意见，签发鉴定结论（Ctrl + Enter）；与多数意见不一致时须写明理由。',
    '疑难案件可延长结论期限 30 日，须写明理由。',
  ],
  benefit_officer: [
    '“待遇核定”列出已鉴定或已确认的案件；核定时填写所需统计数据，系统按规则包逐项计算并列明公式和依据。',
    '复核通过后，用“批量出具待遇核定通知书”一次出具全部已复核的通知书。',
  ],
  benefit_reviewer: ['复核他人作出的待遇核定（Ctrl + Enter 通过），退回时须写明理由；复核人不能是核定人本人。'],
  insurance_reviewer: [
    '“待遇核定 → 待复核”列出第一轮复核已通过、等待社保复核的核定；逐项核对后通过或写明理由退回，本人核定或复核过的不能再复核。',
  ],
  manager: [
    '“运行监测”按统计期和经办机构查看案件、小伤快办、办理时效、临期逾期、待遇支出、鉴定和事故场景；每张图可切换为表格并导出。',
    '“疑点筛查”列出待核查的疑点；“年度公开数据”按第三十三条导出年度数据。',
  ],
  admin: ['“系统管理”维护账号和角色、设置、文号号段、专家库、可信设备和参考数据，并可校验和导出审计日志。'],
};

export function HelpPanel({ open, onClose, roles }: { open: boolean; onClose: () => void; roles: Role[] }) {
  const { large, setLarge } = useLargeText();
  return (
    <Drawer open={open} onClose={onClose} title="帮助" width={620} data-testid="help-panel">
      <Tabs
        items={[
          {
            key: 'keys',
            label: '快捷键',
            children: (
              <Table
                size="small"
                rowKey="keys"
                pagination={false}
                dataSource={SHORTCUTS}
                columns={[
                  { title: '按键', dataIndex: 'keys', width: 150, render: (v: string) => <Typography.Text keyboard>{v}</Typography.Text> },
                  { title: '作用', dataIndex: 'label' },
                  { title: '适用', dataIndex: 'where', width: 120 },
                ]}
              />
            ),
          },
          {
            key: 'guide',
            label: '使用指南',
            children: (
              <Space direction="vertical">
                {roles.map((r) => (
                  <div key={r}>
                    <Typography.Title level={5}>{ROLE_LABELS[r]}</Typography.Title>
                    <ol style={{ paddingLeft: 20 }}>
                      {ROLE_GUIDES[r].map((line) => (
                        <li key={line}>{line}</li>
                      ))}
                    </ol>
                  </div>
                ))}
              </Space>
            ),
          },
          {
            key: 'display',
            label: '显示',
            children: (
              <Space>
                <Switch checked={large} onChange={setLarge} aria-label="大字号" />
                <span>大字号（本机有效，文字和按钮整体放大）</span>
              </Space>
            ),
          },
        ]}
      />
    </Drawer>
  );
}
