import type { MouseEvent, ReactNode } from 'react';
import { Icon } from './Icon';
import { VSCodeButton } from './toolkit';

export type ButtonVariant = 'primary' | 'secondary' | 'icon';

export interface ButtonProps {
  children?: ReactNode;
  variant?: ButtonVariant;
  onClick?: (event: MouseEvent<HTMLElement>) => void;
  disabled?: boolean;
  /** Required for icon buttons (they have no text); also a tooltip. */
  label?: string;
  title?: string;
  className?: string;
  testId?: string;
  /** A codicon shown before the text. */
  icon?: string;
}

/**
 * A VS Code button. The click handler is not called while disabled (the custom element still receives
 * clicks on its host), and the disabled state is also exposed as aria-disabled.
 */
export function Button({ children, variant = 'primary', onClick, disabled = false, label, title, className, testId, icon }: ButtonProps) {
  return (
    <VSCodeButton
      appearance={variant}
      disabled={disabled}
      aria-disabled={disabled ? 'true' : undefined}
      aria-label={label}
      title={title ?? (variant === 'icon' ? label : undefined)}
      className={className}
      data-testid={testId}
      onClick={(e: MouseEvent<HTMLElement>) => {
        if (disabled) return;
        onClick?.(e);
      }}
    >
      {icon && <Icon name={icon} slot="start" />}
      {children}
    </VSCodeButton>
  );
}
