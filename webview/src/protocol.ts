/** The webview's single door to the extension: the shared, typed protocol (and nothing else from extension/). */
import './zodConfig';

export * from '../../extension/protocol';
