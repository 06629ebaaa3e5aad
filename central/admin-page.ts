// The centre's publish page (issue #13; docs/central.md "Publishing over HTTP"): one HTML page,
// its script and its style, served by server.ts under /admin with a strict CSP (no inline script).
// Kept as strings so the bundled centre carries them. Everything it does goes through the
// /v1/admin/* routes: sign in, publish (same path as the CLI), list the versions in force.

export const ADMIN_HTML = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>职伤保障中心 · 参考数据发布</title>
<link rel="stylesheet" href="/admin/app.css">
<script src="/admin/app.js" defer></script>
</head>
<body>
<h1>职伤保障中心 · 参考数据发布</h1>
<section id="signin">
  <h2>管理员登录</h2>
  <form id="signin-form">
    <label>用户名 <input id="username" name="username" autocomplete="username" required></label>
    <label>口令 <input id="password" name="password" type="password" autocomplete="current-password" required></label>
    <button type="submit">登录</button>
  </form>
</section>
<section id="work" hidden>
  <p id="who"></p>
  <button id="signout" type="button">退出登录</button>
  <h2>发布参考数据</h2>
  <form id="publish-form">
    <label>种类
      <select id="kind" name="kind">
        <option value="rule_pack">规则包</option>
        <option value="calendar">工作日历</option>
        <option value="catalogue">伤残等级条目目录</option>
        <option value="experts">鉴定专家库</option>
        <option value="platforms">平台名录</option>
        <option value="offices">经办机构与鉴定委员会</option>
        <option value="accounts">本机构人员账号</option>
      </select>
    </label>
    <label id="office-label" hidden>所属机构 <input id="office" name="office"></label>
    <label>文件（JSON） <input id="file" name="file" type="file" accept=".json,application/json" required></label>
    <button type="submit">校验并发布</button>
  </form>
  <h2>现行版本</h2>
  <table>
    <thead><tr><th>种类</th><th>条目</th><th>版本</th><th>第几次发布</th><th>发布时间</th><th>发布人</th></tr></thead>
    <tbody id="versions"></tbody>
  </table>
</section>
<p id="message" role="alert"></p>
</body>
</html>
`;

export const ADMIN_CSS = `body { font-family: "Microsoft YaHei", "PingFang SC", sans-serif; max-width: 1100px; margin: 16px auto; padding: 0 16px; font-size: 15px; }
label { display: block; margin: 8px 0; }
input, select, button { font-size: 15px; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: left; }
#message { white-space: pre-wrap; }
#message.error { color: #b00020; }
#message.ok { color: #1b5e20; }
`;

export const ADMIN_JS = `// The centre's publish page: sign in, choose a kind, upload a JSON file, see the centre's answer
// (its Chinese validation message when refused) and the versions in force. The token is kept in
// this page's memory only: a reload signs out.
'use strict';
let token = null;
const KIND_LABELS = {
  rule_pack: '规则包', calendar: '工作日历', catalogue: '伤残等级条目目录', experts: '鉴定专家库',
  platforms: '平台名录', offices: '经办机构与鉴定委员会', accounts: '本机构人员账号',
};
const $ = (id) => document.getElementById(id);
function say(text, ok) {
  $('message').textContent = text;
  $('message').className = ok ? 'ok' : 'error';
}
async function call(method, path, body) {
  const headers = {};
  if (token) headers.authorization = 'Bearer ' + token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body });
  } catch {
    return { ok: false, error: { message: '无法连接中心，请检查网络' } };
  }
  try {
    const json = await res.json();
    if (res.status === 401 && token) {
      token = null;
      show();
    }
    return json;
  } catch {
    return { ok: false, error: { message: '中心的回答无法读取（' + res.status + '）' } };
  }
}
function show() {
  $('signin').hidden = token !== null;
  $('work').hidden = token === null;
}
async function refresh() {
  const r = await call('GET', '/v1/admin/reference');
  const tbody = $('versions');
  tbody.textContent = '';
  if (!r.ok) return say(r.error.message, false);
  for (const i of r.items) {
    const tr = document.createElement('tr');
    for (const v of [KIND_LABELS[i.kind] || '其他', i.itemId.startsWith('accounts:') ? '人员账号' : i.itemId, i.version,
      String(i.revision), i.publishedAt.replace('T', ' ').slice(0, 19), i.publishedBy || '']) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.appendChild(td);
    }
    tbody.appendChild(tr);
  }
}
$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await call('POST', '/v1/admin/session', JSON.stringify({ username: $('username').value, password: $('password').value }));
  $('password').value = '';
  if (!r.ok) return say(r.error.message, false);
  token = r.token;
  $('who').textContent = '已登录：' + r.admin.displayName + '（' + r.admin.roleLabel + '）';
  say('', true);
  show();
  await refresh();
});
$('signout').addEventListener('click', async () => {
  await call('DELETE', '/v1/admin/session');
  token = null;
  show();
  say('已退出登录', true);
});
$('kind').addEventListener('change', () => {
  $('office-label').hidden = $('kind').value !== 'accounts';
});
$('publish-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const file = $('file').files[0];
  if (!file) return say('请选择要发布的 JSON 文件', false);
  const text = await file.text();
  try {
    JSON.parse(text);
  } catch {
    return say('所选文件不是有效的 JSON，未发布', false);
  }
  const kind = $('kind').value;
  if (!confirm('确认发布“' + KIND_LABELS[kind] + '”？发布后各设备下次同步即采用，不能撤回（只能再发布新版本）。')) return;
  const q = kind === 'accounts' ? '?office=' + encodeURIComponent($('office').value) : '';
  const r = await call('POST', '/v1/admin/reference/' + kind + q, text);
  if (!r.ok) return say('未发布：' + r.error.message, false);
  say('已发布' + KIND_LABELS[kind] + '，版本 ' + r.version + '（第 ' + r.revision + ' 次发布）', true);
  await refresh();
});
show();
`;
