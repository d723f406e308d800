/**
 * A codicon (the icon font VS Code itself uses, bundled with the webview). Decorative by default; give it a
 * `label` when the icon is the only thing that says something (it then reads as an image).
 */
export function Icon({ name, spin = false, label, className, slot }: { name: string; spin?: boolean; label?: string; className?: string; slot?: string }) {
  const cls = `codicon codicon-${name}${spin ? ' codicon-modifier-spin' : ''}${className ? ` ${className}` : ''}`;
  return label
    ? <span className={cls} role="img" aria-label={label} title={label} slot={slot} />
    : <span className={cls} aria-hidden="true" slot={slot} />;
}
