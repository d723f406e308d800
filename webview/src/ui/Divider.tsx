import { VSCodeDivider } from './toolkit';

/** A horizontal rule (role="separator" on the element itself). */
export function Divider({ decorative = false }: { decorative?: boolean }) {
  return <VSCodeDivider role={decorative ? 'presentation' : 'separator'} />;
}
