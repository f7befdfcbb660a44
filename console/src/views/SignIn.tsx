/**
 * Sign in. People sign in through an OpenID provider (each configured provider is a button that starts the
 * Authorization Code flow on the server, /auth/login); in dev mode (npm start) the demo personas are offered,
 * each starting that same real flow at the embedded provider with a login hint. A bearer token can still be
 * pasted (integrations' tokens, scripts, tests).
 */
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ProblemAlert } from '../components/ProblemAlert';
import { LanguagePicker } from '../ChromeLanguage';
import { useI18n } from '../i18n';
import { useSession } from '../session';

interface Persona {
  principalId: string;
  name: string;
  role: string;
  /** Dev mode with the embedded provider: sign in through it (no token is handed out). */
  loginUrl?: string;
  token?: string;
}

interface Provider {
  id: string;
  label: string;
  loginHints: boolean;
}

const returnTo = () => {
  const path = window.location.pathname + window.location.search;
  return path.startsWith('/auth/') ? '/' : path;
};

/** Leaves the console for the server's sign-in route (a full navigation: the provider's pages follow). */
function startSignIn(url: string) {
  const target = new URL(url, window.location.origin);
  target.searchParams.set('return_to', returnTo());
  window.location.assign(target.pathname + target.search);
}

async function getJson<T>(path: string, fallback: T): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' } });
  return res.ok ? ((await res.json()) as T) : fallback;
}

export function SignIn() {
  const { signIn, error, notice } = useSession();
  const [token, setToken] = useState('');
  const id = useId();
  const { t } = useI18n();
  const personas = useQuery({
    queryKey: ['dev-personas'],
    queryFn: async () => (await getJson<{ personas: Persona[] }>('/dev/personas', { personas: [] })).personas,
    retry: false,
  });
  const providers = useQuery({
    queryKey: ['auth-providers'],
    queryFn: async () => (await getJson<{ providers: Provider[] }>('/auth/providers', { providers: [] })).providers,
    retry: false,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) signIn(token.trim());
  };
  // The embedded provider is offered through its personas; the others as one button each.
  const buttons = (providers.data ?? []).filter((p) => !p.loginHints);
  return (
    <main className="signin" id="main">
      <LanguagePicker />
      <h1>{t.consoleTitle}</h1>
      {notice && (
        <p role="alert" className="notice" data-notice="signed-out">
          {notice}
        </p>
      )}
      {buttons.length > 0 && (
        <section className="card" aria-labelledby={`${id}-providers`}>
          <h2 id={`${id}-providers`}>{t.signIn}</h2>
          {buttons.map((p) => (
            <p key={p.id}>
              <button type="button" data-provider={p.id} onClick={() => startSignIn(`/auth/login?provider=${encodeURIComponent(p.id)}`)}>
                {p.label}
              </button>
            </p>
          ))}
        </section>
      )}
      {personas.data && personas.data.length > 0 && (
        <section className="card" aria-labelledby={`${id}-demo`}>
          <h2 id={`${id}-demo`}>{t.demoPersonas}</h2>
          {personas.data.some((p) => p.loginUrl) && <p className="muted">{t.demoHint}</p>}
          <ul className="personas">
            {personas.data.map((p) => (
              <li key={p.principalId}>
                <button
                  type="button"
                  className="link"
                  onClick={() => (p.loginUrl ? startSignIn(p.loginUrl) : p.token && signIn(p.token))}
                  data-persona={p.principalId}
                >
                  {p.name}
                </button>{' '}
                <span className="muted">{(t.roles as Record<string, string>)[p.role] ?? p.role}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <form onSubmit={submit} className="card">
        <h2>{buttons.length > 0 || personas.data?.length ? t.signInWithToken : t.signIn}</h2>
        <div className="field">
          <label htmlFor={`${id}-token`}>{t.bearerToken}</label>
          <input id={`${id}-token`} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
        <button type="submit">{t.signIn}</button>
        <ProblemAlert error={error} />
      </form>
    </main>
  );
}
