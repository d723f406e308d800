/**
 * The one module that imports the component toolkit. Swapping to its successor
 * (@vscode-elements/react-elements) means changing this file and the wrappers beside it, nothing else.
 *
 * Only the elements we use are registered and wrapped (the toolkit's own `/react` entry registers all
 * nineteen, which costs ~90 KB of minified bundle). `@microsoft/fast-react-wrapper` is the toolkit's own
 * dependency, the same one its `/react` entry uses.
 */
import './cspNonce';
import { provideReactWrapper } from '@microsoft/fast-react-wrapper';
import React from 'react';
import {
  provideVSCodeDesignSystem, vsCodeBadge, vsCodeButton, vsCodeDivider, vsCodeLink, vsCodeProgressRing, vsCodeTag,
} from '@vscode/webview-ui-toolkit';

const { wrap } = provideReactWrapper(React, provideVSCodeDesignSystem());

export const VSCodeBadge = wrap(vsCodeBadge(), { name: 'vscode-badge' });
export const VSCodeButton = wrap(vsCodeButton(), { name: 'vscode-button' });
export const VSCodeDivider = wrap(vsCodeDivider(), { name: 'vscode-divider' });
export const VSCodeLink = wrap(vsCodeLink(), { name: 'vscode-link' });
export const VSCodeProgressRing = wrap(vsCodeProgressRing(), { name: 'vscode-progress-ring' });
export const VSCodeTag = wrap(vsCodeTag(), { name: 'vscode-tag' });
