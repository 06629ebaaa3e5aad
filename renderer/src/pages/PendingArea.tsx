// An area whose screens are not built yet says so plainly instead of showing a fake page.
import { Empty } from 'antd';

export function PendingArea({ title }: { title: string }) {
  return <Empty description={`“${title}”的功能尚未上线`} />;
}
