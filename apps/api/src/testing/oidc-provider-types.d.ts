// oidc-provider ships no types (the @types package trails it); the test identity provider uses a small part of it.
declare module 'oidc-provider' {
  interface ProviderInstance {
    callback(): (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void;
    interactionDetails(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<{ uid: string; prompt: { name: string }; params: Record<string, unknown> }>;
    interactionFinished(
      req: import('node:http').IncomingMessage,
      res: import('node:http').ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    on(event: string, listener: (...args: any[]) => void): void;
    Grant: any;
  }
  const Provider: new (issuer: string, configuration?: Record<string, unknown>) => ProviderInstance;
  export default Provider;
}
