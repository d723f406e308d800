// Approximations of the --vscode-* variables VS Code injects into a webview for three built-in themes
// (Dark Modern, Light Modern, Dark High Contrast). Only what the Cairn view and the toolkit read.
const common = {
  'font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
  'font-size': '13px',
  'font-weight': 'normal',
  'editor-font-family': '"Droid Sans Mono", "DejaVu Sans Mono", monospace',
  'editor-font-size': '13px',
};

export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      ...common,
      foreground: '#cccccc', descriptionForeground: '#9d9d9d', errorForeground: '#f85149', focusBorder: '#0078d4',
      'sideBar-background': '#181818', 'editor-background': '#1f1f1f', 'editor-foreground': '#cccccc',
      'widget-border': '#313131', 'panel-border': '#2b2b2b',
      'input-background': '#313131', 'input-foreground': '#cccccc', 'input-border': '#3c3c3c', 'input-placeholderForeground': '#989898',
      'dropdown-background': '#313131', 'dropdown-foreground': '#cccccc', 'dropdown-border': '#3c3c3c',
      'button-background': '#0078d4', 'button-foreground': '#ffffff', 'button-hoverBackground': '#026ec1', 'button-border': '#ffffff12',
      'button-secondaryBackground': '#313131', 'button-secondaryForeground': '#cccccc', 'button-secondaryHoverBackground': '#3c3c3c',
      'badge-background': '#616161', 'badge-foreground': '#f8f8f8',
      'textCodeBlock-background': '#2b2b2b', 'textLink-foreground': '#4daafc', 'textLink-activeForeground': '#4daafc', 'textBlockQuote-border': '#616161',
      'editorWidget-background': '#202020', 'chat-requestBackground': '#ffffff0d',
      'diffEditor-insertedLineBackground': '#9bb95526', 'diffEditor-removedLineBackground': '#ff000026',
      'diffEditor-insertedTextBackground': '#9ccc2c33', 'diffEditor-removedTextBackground': '#ff000033',
      'toolbar-hoverBackground': '#5a5d5e50', 'toolbar-activeBackground': '#63666750', 'icon-foreground': '#cccccc', 'progressBar-background': '#0078d4',
      'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c', 'charts-green': '#89d185', 'charts-yellow': '#cca700', 'charts-red': '#f14c4c',
      'editorWarning-foreground': '#cca700', 'editorError-foreground': '#f14c4c',
      'inputValidation-errorBackground': '#5a1d1d', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-infoBackground': '#063b49', 'inputValidation-infoBorder': '#007acc',
      'list-hoverBackground': '#2a2d2e', 'list-inactiveSelectionBackground': '#37373d',
      'debugTokenExpression-string': '#ce9178', 'debugTokenExpression-name': '#c586c0', 'debugTokenExpression-number': '#b5cea8', 'debugTokenExpression-error': '#f48771',
      'symbolIcon-keywordForeground': '#cccccc', 'scrollbarSlider-background': '#79797966', 'scrollbarSlider-hoverBackground': '#646464b3',
      'keybindingLabel-background': '#8080802b', 'keybindingLabel-foreground': '#cccccc', 'keybindingLabel-border': '#33333399',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      ...common,
      foreground: '#3b3b3b', descriptionForeground: '#717171', errorForeground: '#e51400', focusBorder: '#005fb8',
      'sideBar-background': '#f8f8f8', 'editor-background': '#ffffff', 'editor-foreground': '#3b3b3b',
      'widget-border': '#e5e5e5', 'panel-border': '#e5e5e5',
      'input-background': '#ffffff', 'input-foreground': '#3b3b3b', 'input-border': '#cecece', 'input-placeholderForeground': '#767676',
      'dropdown-background': '#ffffff', 'dropdown-foreground': '#3b3b3b', 'dropdown-border': '#cecece',
      'button-background': '#005fb8', 'button-foreground': '#ffffff', 'button-hoverBackground': '#0258a8', 'button-border': '#0000001a',
      'button-secondaryBackground': '#e5e5e5', 'button-secondaryForeground': '#3b3b3b', 'button-secondaryHoverBackground': '#cccccc',
      'badge-background': '#cccccc', 'badge-foreground': '#3b3b3b',
      'textCodeBlock-background': '#dcdcdc66', 'textLink-foreground': '#005fb8', 'textLink-activeForeground': '#005fb8', 'textBlockQuote-border': '#e5e5e5',
      'editorWidget-background': '#f8f8f8', 'chat-requestBackground': '#0000000a',
      'diffEditor-insertedLineBackground': '#9bb95533', 'diffEditor-removedLineBackground': '#ff000033',
      'diffEditor-insertedTextBackground': '#9ccc2c40', 'diffEditor-removedTextBackground': '#ff000033',
      'toolbar-hoverBackground': '#b8b8b850', 'toolbar-activeBackground': '#a6a6a650', 'icon-foreground': '#3b3b3b', 'progressBar-background': '#005fb8',
      'testing-iconPassed': '#388a34', 'testing-iconFailed': '#f14c4c', 'charts-green': '#388a34', 'charts-yellow': '#bf8803', 'charts-red': '#e51400',
      'editorWarning-foreground': '#bf8803', 'editorError-foreground': '#e51400',
      'inputValidation-errorBackground': '#f2dede', 'inputValidation-errorBorder': '#be1100',
      'inputValidation-infoBackground': '#d6ecf2', 'inputValidation-infoBorder': '#007acc',
      'list-hoverBackground': '#f2f2f2', 'list-inactiveSelectionBackground': '#e4e6f1',
      'debugTokenExpression-string': '#a31515', 'debugTokenExpression-name': '#9b46b0', 'debugTokenExpression-number': '#098658', 'debugTokenExpression-error': '#e51400',
      'symbolIcon-keywordForeground': '#3b3b3b', 'scrollbarSlider-background': '#64646466', 'scrollbarSlider-hoverBackground': '#646464b3',
      'keybindingLabel-background': '#dddddd66', 'keybindingLabel-foreground': '#555555', 'keybindingLabel-border': '#cccccc66',
    },
  },
  hc: {
    bodyClass: 'vscode-high-contrast',
    vars: {
      ...common,
      foreground: '#ffffff', descriptionForeground: '#ffffffb3', errorForeground: '#f48771', focusBorder: '#f38518',
      contrastBorder: '#6fc3df', contrastActiveBorder: '#f38518',
      'sideBar-background': '#000000', 'editor-background': '#000000', 'editor-foreground': '#ffffff',
      'input-background': '#000000', 'input-foreground': '#ffffff', 'input-border': '#6fc3df', 'input-placeholderForeground': '#ffffffb3',
      'dropdown-background': '#000000', 'dropdown-foreground': '#ffffff', 'dropdown-border': '#6fc3df',
      'button-background': '#000000', 'button-foreground': '#ffffff', 'button-border': '#6fc3df',
      'button-secondaryBackground': '#000000', 'button-secondaryForeground': '#ffffff',
      'badge-background': '#000000', 'badge-foreground': '#ffffff',
      'textCodeBlock-background': '#000000', 'textLink-foreground': '#21a6ff', 'textLink-activeForeground': '#21a6ff', 'textBlockQuote-border': '#ffffff',
      'editorWidget-background': '#0c141f',
      'diffEditor-insertedTextBorder': '#33ff2e', 'diffEditor-removedTextBorder': '#ff008f',
      'toolbar-hoverOutline': '#f38518', 'icon-foreground': '#ffffff', 'progressBar-background': '#6fc3df',
      'testing-iconPassed': '#73c991', 'testing-iconFailed': '#f14c4c', 'charts-green': '#89d185', 'charts-yellow': '#ffd700', 'charts-red': '#f48771',
      'editorWarning-foreground': '#ffd700', 'editorError-foreground': '#ff3232',
      'inputValidation-errorBackground': '#000000', 'inputValidation-errorBorder': '#f48771',
      'inputValidation-infoBackground': '#000000', 'inputValidation-infoBorder': '#6fc3df',
      'list-hoverBackground': '#000000', 'list-inactiveSelectionBackground': '#000000',
      'debugTokenExpression-string': '#f48771', 'debugTokenExpression-name': '#ffffff', 'debugTokenExpression-number': '#89d185', 'debugTokenExpression-error': '#f48771',
      'scrollbarSlider-background': '#6fc3df99',
      'keybindingLabel-background': '#00000000', 'keybindingLabel-foreground': '#ffffff', 'keybindingLabel-border': '#6fc3df',
    },
  },
};

/** A <style> body for a theme: the variables on html, and the sidebar background like a webview view. */
export function themeCss(name) {
  const t = THEMES[name];
  const decls = Object.entries(t.vars).map(([k, v]) => `  --vscode-${k}: ${v};`).join('\n');
  return `html {\n${decls}\n  background: var(--vscode-sideBar-background);\n}\nbody { background: var(--vscode-sideBar-background); }`;
}
