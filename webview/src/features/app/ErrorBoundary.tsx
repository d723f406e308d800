import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Button } from '../../ui';

interface Props {
  children: ReactNode;
  /** Called once per caught render error (the app reports it to the host). */
  onError: (error: Error, componentStack: string | undefined) => void;
}

/** Shows a friendly message instead of a blank view when rendering throws, and offers to try again. */
export class ErrorBoundary extends Component<Props, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo) {
    this.props.onError(error, info.componentStack ?? undefined);
  }

  override render() {
    if (!this.state.error) return this.props.children;
    return (
      <div className="crash" role="alert" data-testid="crash">
        <h2>Something went wrong in the Cairn view.</h2>
        <p>The error was reported to the Cairn output log. Your session is safe: it lives in the extension.</p>
        <p className="crash-detail">{this.state.error.message}</p>
        <Button variant="primary" testId="crash-retry" onClick={() => this.setState({ error: null })}>Try again</Button>
      </div>
    );
  }
}
