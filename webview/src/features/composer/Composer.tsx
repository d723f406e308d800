import { useEffect, useRef, useState, type ClipboardEvent, type KeyboardEvent } from 'react';
import type { Attachment, ImageAttachment, McpPromptInfo, MentionCandidate } from '../../protocol';
import { useActions, useChat } from '../../store';
import { Button, IconButton, TextArea } from '../../ui';
import { readImage } from './images';
import { MentionMenu } from './MentionMenu';
import { insertMention, mentionAt, sameAttachment, toAttachment, type MentionAt } from './mentions';
import { CoordinatorToggle, ModelPicker, ModePicker } from './Pickers';
import { BUILTIN_COMMANDS, parsePromptCommand, promptCommand, slashQuery, type SlashCommand } from './slash';
import { SlashMenu } from './SlashMenu';
import { useHistory } from './useHistory';

/** The protocol's limit for one message. */
const MAX_CHARS = 200_000;
const MENU_ID = 'mention-menu';

interface Pasted { image: ImageAttachment; name: string }

/** Enter sends, Shift+Enter adds a line, Up/Down recall sent messages, @ attaches, Escape stops a reply. */
export function Composer() {
  const streaming = useChat((s) => s.turn === 'streaming');
  const actionError = useChat((s) => s.actionError);
  const compose = useChat((s) => s.compose);
  const { send, stop, dismissActionError, mentionCandidates, mcpResources, mcpPrompts, expandPrompt, compact, ultraPlan } = useActions();
  const [text, setText] = useState('');
  const [attachments, setAttachments] = useState<Attachment[]>([]);
  const [images, setImages] = useState<Pasted[]>([]);
  const [note, setNote] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [mention, setMention] = useState<MentionAt | null>(null);
  const [files, setFiles] = useState<MentionCandidate[]>([]);
  const [resources, setResources] = useState<MentionCandidate[]>([]);
  const [prompts, setPrompts] = useState<McpPromptInfo[] | null>(null);
  const [active, setActive] = useState(0);
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const history = useHistory();

  // "Add to Cairn chat" from the editor: the host puts text and attachments here.
  useEffect(() => {
    if (!compose) return;
    setText((t) => (compose.replace ? compose.text : t && compose.text ? `${t}\n${compose.text}` : t || compose.text));
    setAttachments((cur) => [...cur, ...compose.attachments.filter((a) => !cur.some((c) => sameAttachment(a, c)))]);
    inputRef.current?.focus();
  }, [compose]);

  // Ask the host for completions while an @query is typed (debounced; the last answer wins): workspace items
  // and, apart, the MCP servers' resources (each list shows as soon as it arrives).
  const query = mention?.query;
  useEffect(() => {
    if (query === undefined) return;
    let live = true;
    const timer = setTimeout(() => {
      void mentionCandidates(query).then((c) => { if (live) { setFiles(c ?? []); setActive(0); } });
      void mcpResources(query).then((c) => { if (live) setResources(c ?? []); });
    }, 80);
    return () => { live = false; clearTimeout(timer); };
  }, [query, mentionCandidates, mcpResources]);
  const candidates = [...resources.slice(0, 10), ...files];

  // A bare "/name" offers the slash commands: /compact and the MCP servers' prompts (asked for when "/" is typed).
  const slash = mention === null ? slashQuery(text) : null;
  const slashOpen = slash !== null;
  useEffect(() => {
    if (!slashOpen) return;
    let live = true;
    void mcpPrompts().then((p) => { if (live) setPrompts(p ?? []); });
    return () => { live = false; };
  }, [slashOpen, mcpPrompts]);
  useEffect(() => { setActive(0); }, [slash]);
  const commands: SlashCommand[] = slash === null ? [] : [...BUILTIN_COMMANDS, ...(prompts ?? []).map(promptCommand)].filter((c) => c.name.toLowerCase().startsWith(slash.toLowerCase()));

  const tooLong = text.length > MAX_CHARS;
  const canSend = text.trim() !== '' && !tooLong && !streaming && !sending;
  const menuOpen = mention !== null;
  const items = menuOpen ? candidates.length : slashOpen ? commands.length : 0;

  const update = (value: string) => {
    setText(value);
    history.reset();
    const caret = inputRef.current?.selectionStart ?? value.length;
    setMention(mentionAt(value, caret));
  };

  const pick = (c: MentionCandidate) => {
    if (!mention) return;
    const next = insertMention(text, mention, c.label);
    setText(next.text);
    const a = toAttachment(c);
    setAttachments((cur) => (cur.some((x) => sameAttachment(x, a)) ? cur : [...cur, a]));
    setMention(null);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(next.caret, next.caret));
  };

  const pickCommand = (c: SlashCommand) => {
    const next = `/${c.name} `;
    setText(next);
    setActive(0);
    requestAnimationFrame(() => inputRef.current?.setSelectionRange(next.length, next.length));
  };

  /** "/mcp__<server>__<prompt> args": the prompt's text from its server (null: not sent, the reason is shown). */
  const expandCommand = async (value: string): Promise<string | null | undefined> => {
    const known = prompts ?? (await mcpPrompts()) ?? [];
    const parsed = parsePromptCommand(value, known);
    if (!parsed) return undefined;
    if ('unknown' in parsed) { setNote(`No MCP prompt named /${parsed.unknown}. Type / to see the prompts your servers offer.`); return null; }
    if (parsed.missing.length) { setNote(`/mcp__${parsed.prompt.server}__${parsed.prompt.name} needs ${parsed.missing.map((m) => `<${m}>`).join(' ')}.`); return null; }
    return expandPrompt(parsed.prompt.server, parsed.prompt.name, parsed.args);
  };

  const submit = async () => {
    if (!canSend) return;
    const sent = text;
    const sentAttachments = attachments;
    const sentImages = images;
    setSending(true);
    // "/compact [instructions]" summarises the conversation now instead of sending a message.
    // "/plan <task>" starts an UltraPlan run: a deep, read-only planning run whose plan comes back for review.
    // An MCP prompt's command sends the text its server gives for it.
    const command = /^\/compact(?:\s+([\s\S]*))?$/.exec(sent.trim());
    const plan = /^\/plan(?:\s+([\s\S]*))?$/.exec(sent.trim());
    const planTask = plan?.[1]?.trim();
    if (plan && !planTask) setNote('Say what to plan after /plan, for example: /plan add input validation to the signup form');
    const expanded = !command && !plan && /^\/mcp__/.test(sent.trim()) ? await expandCommand(sent) : undefined;
    if (expanded === null) { setSending(false); return; }
    const ok = command ? await compact(command[1])
      : plan ? (planTask ? await ultraPlan(planTask) : false)
        : await send(expanded ?? sent, sentAttachments, sentImages.map((p) => p.image));
    setSending(false);
    if (ok) {
      history.push(sent);
      // Keep whatever the user typed meanwhile; keep everything when sending failed.
      setText((current) => (current === sent ? '' : current));
      setAttachments((cur) => (cur === sentAttachments ? [] : cur));
      setImages((cur) => (cur === sentImages ? [] : cur));
      setNote(null);
    }
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.nativeEvent.isComposing) return;
    // A command typed in full is sent by Enter (not completed again).
    const complete = slashOpen && commands.some((c) => `/${c.name}` === text);
    if (items > 0 && !(complete && e.key === 'Enter')) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((i) => (e.key === 'ArrowDown' ? (i + 1) % items : (i - 1 + items) % items));
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        if (menuOpen) { const c = candidates[active]; if (c) pick(c); } else { const c = commands[active]; if (c) pickCommand(c); }
        return;
      }
    }
    if (menuOpen && e.key === 'Escape') { e.preventDefault(); setMention(null); return; }
    const el = e.currentTarget;
    if (e.key === 'ArrowUp' && !el.value.slice(0, el.selectionStart).includes('\n')) {
      const prev = history.back(text);
      if (prev !== null) { e.preventDefault(); setText(prev); }
    } else if (e.key === 'ArrowDown' && !el.value.slice(el.selectionEnd).includes('\n')) {
      const next = history.forward();
      if (next !== null) { e.preventDefault(); setText(next); }
    } else if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      void submit();
    } else if (e.key === 'Escape' && streaming) {
      e.preventDefault();
      void stop();
    }
  };

  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    const files = [...e.clipboardData.items].filter((i) => i.kind === 'file').map((i) => i.getAsFile()).filter((f): f is File => f !== null);
    if (files.length === 0) return;
    e.preventDefault();
    void (async () => {
      let count = images.length;
      for (const f of files) {
        const r = await readImage(f, count);
        if (!r.ok) { setNote(r.error); continue; }
        count += 1;
        setImages((cur) => [...cur, { image: r.image, name: r.name }]);
      }
    })();
  };

  const hint = tooLong
    ? `Too long: ${text.length.toLocaleString('en-US')} of ${MAX_CHARS.toLocaleString('en-US')} characters`
    : 'Enter to send · Shift+Enter for a new line · @ to attach';

  return (
    <form className="composer" aria-label="Message composer" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      {actionError !== null && (
        <div className="inline-error" role="alert" data-testid="action-error">
          <span>{actionError}</span>
          <IconButton icon="close" label="Dismiss" testId="dismiss-action-error" onClick={dismissActionError} />
        </div>
      )}
      {note !== null && (
        <div className="inline-error" role="alert" data-testid="composer-note">
          <span>{note}</span>
          <IconButton icon="close" label="Dismiss" testId="dismiss-composer-note" onClick={() => setNote(null)} />
        </div>
      )}
      {(attachments.length > 0 || images.length > 0) && (
        <ul className="attachment-chips" aria-label="Attachments">
          {attachments.map((a, i) => (
            <li key={`${a.kind}:${a.server ?? ''}:${a.uri ?? a.path ?? a.label}`} className="chip" data-testid="composer-attachment" data-kind={a.kind}>
              @{a.label}
              <IconButton icon="close" className="chip-remove" label={`Remove ${a.label}`} testId="remove-attachment" onClick={() => setAttachments((cur) => cur.filter((_, j) => j !== i))} />
            </li>
          ))}
          {images.map((p, i) => (
            <li key={`img${i}`} className="chip" data-testid="composer-image">
              {p.name}
              <IconButton icon="close" className="chip-remove" label={`Remove ${p.name}`} testId="remove-image" onClick={() => setImages((cur) => cur.filter((_, j) => j !== i))} />
            </li>
          ))}
        </ul>
      )}
      {menuOpen && <MentionMenu id={MENU_ID} candidates={candidates} active={active} onPick={pick} />}
      {slashOpen && <SlashMenu id={MENU_ID} commands={commands} active={active} onPick={pickCommand} />}
      <TextArea
        ref={inputRef}
        value={text}
        onChange={update}
        onKeyDown={onKeyDown}
        onPaste={onPaste}
        label="Message Cairn"
        placeholder={streaming ? 'Cairn is working… (Escape stops)' : 'Ask Cairn or describe a task'}
        testId="composer-input"
        describedBy="composer-hint"
        combobox={{ expanded: items > 0, controls: MENU_ID, activeDescendant: `${MENU_ID}-${active}` }}
      />
      <div className="composer-bar">
        <div className="composer-pickers">
          <ModePicker />
          <CoordinatorToggle />
          <ModelPicker />
        </div>
        <div className="composer-buttons">
          {streaming && (
            <Button variant="secondary" testId="stop-button" icon="debug-stop" label="Stop the response" title="Stop the response (Escape)" onClick={() => void stop()}>Stop</Button>
          )}
          <Button variant="primary" testId="send-button" icon="send" title="Send (Enter)" disabled={!canSend} onClick={() => void submit()}>Send</Button>
        </div>
      </div>
      <div id="composer-hint" className={tooLong ? 'composer-hint hint-error' : 'composer-hint'}>{hint}</div>
    </form>
  );
}
