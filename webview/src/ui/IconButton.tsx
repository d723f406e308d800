import type { MouseEvent } from 'react';
import { Icon } from './Icon';

export interface IconButtonProps {
  /** A codicon name, e.g. "history". */
  icon: string;
  /** What the button does: its accessible name and its tooltip. */
  label: string;
  onClick?: (event: MouseEvent<HTMLButtonElement>) => void;
  disabled?: boolean;
  /** For toggles (e.g. a panel that is open): exposed as aria-pressed and shown as a selected state. */
  pressed?: boolean;
  /** The tooltip when it should say more than the label. */
  title?: string;
  className?: string;
  testId?: string;
}

/**
 * A small toolbar-style button with one icon, like the ones in VS Code's view title bars. Native on purpose:
 * it is cheap (code blocks and tool cards have one each), sized to the icon, and styled with the toolbar colours.
 */
export function IconButton({ icon, label, onClick, disabled = false, pressed, title, className, testId }: IconButtonProps) {
  return (
    <button
      type="button"
      className={`icon-button${className ? ` ${className}` : ''}`}
      aria-label={label}
      title={title ?? label}
      aria-pressed={pressed}
      disabled={disabled}
      data-testid={testId}
      onClick={onClick}
    >
      <Icon name={icon} />
    </button>
  );
}
