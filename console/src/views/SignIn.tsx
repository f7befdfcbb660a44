/** Sign in with a bearer token; in dev mode (npm start's demo data) pick a demo persona instead. */
import { useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ProblemAlert } from '../components/ProblemAlert';
import { useSession } from '../session';

interface Persona {
  principalId: string;
  name: string;
  role: string;
  token: string;
}

export function SignIn() {
  const { signIn, error, notice } = useSession();
  const [token, setToken] = useState('');
  const id = useId();
  const personas = useQuery({
    queryKey: ['dev-personas'],
    queryFn: async () => {
      const res = await fetch('/dev/personas');
      if (!res.ok) return [];
      return ((await res.json()) as { personas: Persona[] }).personas;
    },
    retry: false,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (token.trim()) signIn(token.trim());
  };
  return (
    <main className="signin" id="main">
      <h1>Caseflow console</h1>
      <form onSubmit={submit} className="card">
        <h2>Sign in</h2>
        <div className="field">
          <label htmlFor={`${id}-token`}>Bearer token</label>
          <input id={`${id}-token`} type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} />
        </div>
        <button type="submit">Sign in</button>
        {notice && (
          <p role="alert" className="notice" data-notice="signed-out">
            {notice}
          </p>
        )}
        <ProblemAlert error={error} />
      </form>
      {personas.data && personas.data.length > 0 && (
        <section className="card" aria-labelledby={`${id}-demo`}>
          <h2 id={`${id}-demo`}>Demo personas (dev mode)</h2>
          <ul className="personas">
            {personas.data.map((p) => (
              <li key={p.principalId}>
                <button type="button" className="link" onClick={() => signIn(p.token)} data-persona={p.principalId}>
                  {p.name}
                </button>{' '}
                <span className="muted">{p.role.replace('_', ' ')}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
