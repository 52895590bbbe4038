import { reactive } from 'vue';
import { permissionEnumName, type Permission } from '@signpost/policy';
import { apollo } from './apollo.js';
import { MeDocument, type MeQuery } from './generated/graphql.js';

export type SignedIn = MeQuery['me'];

/** The person signed in, or null; `checked` once the API has been asked. */
export const session = reactive<{ me: SignedIn | null; checked: boolean }>({ me: null, checked: false });

/** Asks the API who is signed in (the cookie is HttpOnly, so only the API knows). */
export async function loadSession(): Promise<SignedIn | null> {
  const { data } = await apollo.query({ query: MeDocument, fetchPolicy: 'network-only', errorPolicy: 'all' });
  session.me = data?.me ?? null;
  session.checked = true;
  return session.me;
}

/** Whether the person signed in holds a permission of the policy, as the API reported it in `Me.permissions`. */
export function can(permission: Permission): boolean {
  return Boolean(session.me?.permissions.some((p) => p === permissionEnumName(permission)));
}

export interface SignInProblem {
  message: string;
  fields: { field: string; message: string }[];
}

/** Signs in with a local account; answers the API's problem (fields at fault, or why) when refused. */
export async function signIn(email: string, password: string): Promise<SignInProblem | null> {
  const res = await fetch('/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify({ email, password }),
  });
  if (res.ok) {
    await apollo.clearStore();
    await loadSession();
    return null;
  }
  const body = (await res.json().catch(() => null)) as { errors?: { message: string; extensions?: { fields?: { field: string; message: string }[] } }[] } | null;
  const error = body?.errors?.[0];
  return { message: error?.message ?? 'Signing in did not work. Try again.', fields: error?.extensions?.fields ?? [] };
}

export async function signOut(): Promise<void> {
  await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  session.me = null;
  await apollo.clearStore();
}

/** A sign-in provider the API offers besides the password form: its name for people and where sign-in starts. */
export interface SingleSignOn {
  label: string;
  path: string;
}

/** Whether OIDC sign-in is configured (GET /auth/methods); null when it is not, or the API cannot say. */
export async function singleSignOn(): Promise<SingleSignOn | null> {
  try {
    const res = await fetch('/auth/methods', { credentials: 'same-origin' });
    if (!res.ok) return null;
    const body = (await res.json()) as { oidc?: SingleSignOn | null };
    return body.oidc && typeof body.oidc.label === 'string' && body.oidc.path?.startsWith('/auth/') ? body.oidc : null;
  } catch {
    return null;
  }
}
