import { useRef, useState } from 'react';
import { useDecisionInView } from './decisionInView';
import { ProgressRing } from '../../ui';
import { useFeatures } from '../app/features';
import { BackgroundPanel } from '../background/BackgroundPanel';
import { MemoryView } from '../memory/MemoryView';
import { McpPanel } from '../mcp/McpPanel';
import { ApprovalList } from '../approvals/ApprovalList';
import { Composer } from '../composer/Composer';
import { ContextMeter } from '../context/ContextMeter';
import { CompactionLine } from '../compaction/CompactionLine';
import { NoticeList } from '../notices/NoticeList';
import { ReviewList } from '../review/ReviewList';
import { PlanList } from '../plan/PlanCard';
import { PlanHistory } from '../plan/PlanHistory';
import { SessionHistory } from '../sessions/SessionHistory';
import { TodoCard } from '../todo/TodoCard';
import { ChatHeader } from './ChatHeader';
import { ErrorBanner } from './ErrorBanner';
import { MessageList } from './MessageList';
import { TurnStatusLine } from './TurnStatusLine';

/** The chat. `loading`: the session's snapshot is on its way (a spinner stands where the conversation goes). */
export function ChatView({ loading = false }: { loading?: boolean } = {}) {
  const [panel, setPanel] = useState<'none' | 'history' | 'plans' | 'memory' | 'background' | 'mcp'>('none');
  const { memory, background, mcp } = useFeatures();
  const toggle = (p: 'history' | 'plans' | 'memory' | 'background' | 'mcp') => setPanel((cur) => (cur === p ? 'none' : p));
  const dock = useRef<HTMLDivElement>(null);
  useDecisionInView(dock);
  return (
    <main className="chat-root" data-testid="chat-root">
      <ChatHeader historyOpen={panel === 'history'} onToggleHistory={() => toggle('history')}
        plansOpen={panel === 'plans'} onTogglePlans={() => toggle('plans')}
        memoryOpen={panel === 'memory'} onToggleMemory={memory ? () => toggle('memory') : undefined}
        background={background} backgroundOpen={panel === 'background'} onToggleBackground={background ? () => toggle('background') : undefined}
        mcp={mcp} mcpOpen={panel === 'mcp'} onToggleMcp={mcp ? () => toggle('mcp') : undefined} />
      {panel === 'history' && <SessionHistory onClose={() => setPanel('none')} />}
      {panel === 'plans' && <PlanHistory onClose={() => setPanel('none')} />}
      {panel === 'memory' && memory && (
        <section className="memory-panel" data-testid="memory-panel" aria-label="Memory">
          <MemoryView store={memory} background={background} />
        </section>
      )}
      {panel === 'background' && background && <BackgroundPanel bg={background} />}
      {panel === 'mcp' && mcp && (
        <section className="mcp-panel" data-testid="mcp-panel" aria-label="MCP servers and hooks">
          <McpPanel store={mcp} />
        </section>
      )}
      <NoticeList />
      {loading
        ? <div className="message-list center-screen" data-testid="loading"><ProgressRing label="Loading the session…" showLabel /></div>
        : <MessageList />}
      <div className="chat-dock" ref={dock} data-testid="chat-dock">
        <TodoCard />
        <TurnStatusLine />
        <PlanList />
        <ApprovalList />
        <ReviewList />
        <ErrorBanner />
      </div>
      <Composer />
      <ContextMeter compaction={<CompactionLine />} />
    </main>
  );
}
