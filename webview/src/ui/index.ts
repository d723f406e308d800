/** The UI primitives. Features import only from here, never from the toolkit. */
export { Button } from './Button';
export type { ButtonProps, ButtonVariant } from './Button';
export { ProgressRing } from './ProgressRing';
export { Badge, Tag } from './Badge';
export { Divider } from './Divider';
export { Link } from './Link';
export { TextArea } from './TextArea';
export type { TextAreaProps } from './TextArea';
export { Icon } from './Icon';
export { IconButton } from './IconButton';
export type { IconButtonProps } from './IconButton';
