import type { ChangeEvent, ClipboardEvent, KeyboardEvent, Ref } from 'react';

export interface TextAreaProps {
  value: string;
  onChange: (value: string) => void;
  onKeyDown?: (event: KeyboardEvent<HTMLTextAreaElement>) => void;
  label: string;
  placeholder?: string;
  disabled?: boolean;
  rows?: number;
  testId?: string;
  describedBy?: string;
  ref?: Ref<HTMLTextAreaElement>;
  onPaste?: (event: ClipboardEvent<HTMLTextAreaElement>) => void;
  /** Combobox wiring when the field drives a completion list. */
  combobox?: { expanded: boolean; controls: string; activeDescendant?: string };
}

/**
 * A native textarea styled with the --vscode-input-* colours. Native on purpose: key handling (Enter, IME
 * composition, Shift+Enter) and focus behave exactly like any other text field, and tests can type into it.
 */
export function TextArea({ value, onChange, onKeyDown, label, placeholder, disabled, rows = 3, testId, describedBy, ref, onPaste, combobox }: TextAreaProps) {
  return (
    <textarea
      ref={ref}
      className="ui-textarea"
      value={value}
      rows={rows}
      aria-label={label}
      aria-describedby={describedBy}
      placeholder={placeholder}
      disabled={disabled}
      data-testid={testId}
      onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
      onKeyDown={onKeyDown}
      onPaste={onPaste}
      role={combobox ? 'combobox' : undefined}
      aria-autocomplete={combobox ? 'list' : undefined}
      aria-expanded={combobox ? combobox.expanded : undefined}
      aria-controls={combobox?.expanded ? combobox.controls : undefined}
      aria-activedescendant={combobox?.expanded ? combobox.activeDescendant : undefined}
    />
  );
}
