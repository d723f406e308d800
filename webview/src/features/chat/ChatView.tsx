import { ApprovalList } from '../approvals/ApprovalList';
import { NoticeList } from '../notices/NoticeList';
import { ChatHeader } from './ChatHeader';
import { Composer } from './Composer';
import { ErrorBanner } from './ErrorBanner';
import { MessageList } from './MessageList';
import { TurnStatusLine } from './TurnStatusLine';
import { UsageFooter } from './UsageFooter';

export function ChatView() {
  return (
    <main className="chat-root" data-testid="chat-root">
      <ChatHeader />
      <NoticeList />
      <MessageList />
      <TurnStatusLine />
      <ApprovalList />
      <ErrorBanner />
      <Composer />
      <UsageFooter />
    </main>
  );
}
