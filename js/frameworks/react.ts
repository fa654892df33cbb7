/**
 * React bindings (`oxeye/react`): an error boundary that reports what it catches with the
 * component stack (a context, and a linked error whose frames servers source-map), a
 * higher-order wrapper, and `reactErrorHandler` for React 19's root
 * options (`onCaughtError`, `onUncaughtError`, `onRecoverableError`). React is a peer
 * dependency; oxeye itself is imported by name so the bundler picks the same entry (and
 * the same default client) as the app's own `import "oxeye"`.
 */
import * as React from "react";
import { captureException, withScope, type Scope } from "oxeye";

/** What a fallback renderer receives. */
export interface FallbackProps {
  error: unknown;
  componentStack: string;
  eventId: string;
  resetError: () => void;
}

export interface ErrorBoundaryProps {
  children?: React.ReactNode | undefined;
  /** Shown instead of the children after an error: an element, or a function of the error. */
  fallback?: React.ReactNode | ((props: FallbackProps) => React.ReactNode) | undefined;
  /** Whether the error counts as handled. Default: true when there is a fallback. */
  handled?: boolean | undefined;
  /** Runs in the capture's scope before the error is sent (add tags, context, …). */
  beforeCapture?(scope: Scope, error: unknown, componentStack: string): void;
  /** Called after the error is captured. */
  onError?(error: unknown, componentStack: string, eventId: string): void;
  /** Called when the fallback calls `resetError`. */
  onReset?(error: unknown, componentStack: string, eventId: string): void;
}

interface State {
  error: unknown;
  hasError: boolean;
  /** The error has been reported (`componentDidCatch` ran): the fallback can show its id. */
  reported: boolean;
  /** The error reported, whose fallback is shown. */
  caught?: unknown;
  componentStack: string;
  eventId: string;
}

const INITIAL: State = { error: null, hasError: false, reported: false, componentStack: "", eventId: "" };

/**
 * Reports a render error with its component stack, both as the `react` context and as the
 * linked error `linkComponentStack` adds; answers the event id.
 */
function reportRenderError(error: unknown, componentStack: string | null | undefined, mechanism: { type: string; handled: boolean }): string {
  linkComponentStack(error, componentStack);
  return captureException(error, { mechanism, contexts: componentStack ? { react: { componentStack } } : undefined });
}

/** The errors `linkComponentStack` made. */
const componentErrors = new WeakSet<object>();

/**
 * Puts the component stack at the end of `error`'s cause chain, as an Error of its own
 * (`React ErrorBoundary <name>`) whose stack it is, so that it is sent as a linked
 * exception with frames, which servers source-map (a context stays minified); as
 * @sentry/react does. Once per error; not past a cause that is not an Error, nor into a
 * cycle. Never throws.
 */
function linkComponentStack(error: unknown, componentStack: string | null | undefined): void {
  try {
    if (!componentStack || !(error instanceof Error)) return;
    let last: Error = error;
    const seen = new Set<unknown>();
    while (last.cause !== undefined) {
      if (!(last.cause instanceof Error) || seen.has(last.cause) || componentErrors.has(last.cause)) return;
      seen.add(last);
      last = last.cause;
    }
    const linked = new Error(error.message);
    linked.name = `React ErrorBoundary ${error.name}`;
    linked.stack = componentStack;
    componentErrors.add(linked);
    Object.defineProperty(last, "cause", { value: linked, configurable: true, writable: true });
  } catch {
    /* a frozen error: the context still has the stack */
  }
}

/** Catches render errors below it, reports them and renders `fallback`. */
export class ErrorBoundary extends React.Component<ErrorBoundaryProps, State> {
  state: State = INITIAL;

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error, hasError: true };
  }

  componentDidCatch(error: unknown, info: React.ErrorInfo): void {
    const componentStack = info?.componentStack ?? "";
    const { beforeCapture, onError, fallback } = this.props;
    const handled = this.props.handled ?? fallback !== undefined;
    let eventId = "";
    try {
      withScope((scope) => {
        try {
          beforeCapture?.(scope, error, componentStack);
        } catch {
          /* the app's callback must not stop the report */
        }
        eventId = reportRenderError(error, componentStack, { type: "auto.function.react.error_boundary", handled }) ?? "";
      });
    } catch {
      /* a mock of oxeye's (an app's tests) */
    }
    // The fallback shows whatever became of the report: with oxeye mocked, as a test
    // runner's automock does, `withScope` never calls back, and the id is "".
    this.setState({ componentStack, eventId, reported: true, caught: error });
    onError?.(error, componentStack, eventId);
  }

  resetError = (): void => {
    const { error, componentStack, eventId } = this.state;
    this.setState(INITIAL);
    this.props.onReset?.(error, componentStack, eventId);
  };

  render(): React.ReactNode {
    if (!this.state.hasError) return this.props.children;
    // Nothing until the error is reported, in the same commit (React re-renders at once
    // after `componentDidCatch`), so the fallback's first render has the event id.
    if (!this.state.reported) return null;
    // Another error while the fallback is shown is the fallback's own: it goes on to the
    // boundary above (thrown from here), as an error while rendering a fallback should,
    // not back into the fallback with the first error's id.
    if (this.state.error !== this.state.caught) throw this.state.error;
    const { fallback } = this.props;
    if (typeof fallback === "function") {
      const { error, componentStack, eventId } = this.state;
      return fallback({ error, componentStack, eventId, resetError: this.resetError });
    }
    return fallback ?? null;
  }
}

/** Wraps a component in an `ErrorBoundary`. */
export function withErrorBoundary<P extends object>(Component: React.ComponentType<P>, boundary: ErrorBoundaryProps = {}): React.FC<P> {
  const Wrapped: React.FC<P> = (props) => React.createElement(ErrorBoundary, boundary, React.createElement(Component, props));
  Wrapped.displayName = `errorBoundary(${Component.displayName || Component.name || "Component"})`;
  return Wrapped;
}

/**
 * Reports an error that a class component of the app's own caught (in `componentDidCatch`),
 * with React's component stack linked as the ErrorBoundary does; returns the event id.
 * Sentry's `captureReactException` under the same name.
 */
export function captureReactException(error: unknown, errorInfo: { componentStack?: string | null | undefined } = {}): string {
  return reportRenderError(error, errorInfo?.componentStack, { type: "auto.function.react.capture", handled: true });
}

/** What React 19 passes its root error options besides the error. */
export interface ReactErrorInfo {
  componentStack?: string | null | undefined;
  /** For `onCaughtError`: the boundary that caught the error. */
  errorBoundary?: unknown;
}

/**
 * A handler for React 19's `createRoot` options: reports the error with its component
 * stack, then calls `callback`; without one, prints the error with `console.error` (React
 * prints what these options are not set for, so a page whose client sends nothing, in
 * development without a DSN, still shows it). The error counts as handled when a boundary caught it
 * (`onCaughtError`) or a callback is given. An error one of oxeye's `ErrorBoundary`s caught
 * is left to that boundary, which reports it with its own scope data (`beforeCapture`)
 * and fallback; React calls `onCaughtError` before the boundary, so `eventId` is "" then.
 */
export function reactErrorHandler(callback?: (error: unknown, errorInfo: ReactErrorInfo, eventId: string) => void) {
  return (error: unknown, errorInfo: ReactErrorInfo = {}): void => {
    const boundary = errorInfo?.errorBoundary;
    const eventId =
      boundary instanceof ErrorBoundary
        ? ""
        : reportRenderError(error, errorInfo?.componentStack, { type: "auto.function.react.error_handler", handled: !!callback || boundary != null });
    if (callback) callback(error, errorInfo, eventId);
    else console.error(error);
  };
}
