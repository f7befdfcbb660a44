/** The shell: sign-in, navigation by role, the live-changes indicator, and the routes. */
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { RateLimitNotice } from './components/RateLimitNotice';
import { useCaseChanges } from './live/useCaseChanges';
import { isStaff, useSession } from './session';
import { CasePage } from './views/CasePage';
import { OpenCaseForm } from './views/OpenCaseForm';
import { PortalView } from './views/PortalView';
import { QueueView } from './views/QueueView';
import { SignIn } from './views/SignIn';

// The charts library is the bulk of the bundle: only the manager view loads it.
const ManagerView = lazy(() => import('./views/ManagerView').then((m) => ({ default: m.ManagerView })));
const PolicyView = lazy(() => import('./views/PolicyView').then((m) => ({ default: m.PolicyView })));

function PhoneLookup() {
  const navigate = useNavigate();
  const [number, setNumber] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^[0-9]+$/.test(number.trim())) void navigate(`/cases/${number.trim()}`);
  };
  return (
    <form role="search" className="phone-lookup" onSubmit={submit}>
      <label htmlFor="phone-lookup">Case number</label>
      <input id="phone-lookup" inputMode="numeric" value={number} onChange={(e) => setNumber(e.target.value)} />
      <button type="submit">Look up</button>
    </form>
  );
}

export function App() {
  const { me, loading, signOut } = useSession();
  const live = useCaseChanges(!!me);
  if (loading) return <p role="status">Signing in…</p>;
  if (!me) return <SignIn />;
  const staff = isStaff(me);
  const home = staff ? (me.role === 'manager' ? '/manager' : '/queue') : '/portal';
  return (
    <>
      <a href="#main" className="skip">
        Skip to content
      </a>
      <header className="top">
        <span className="brand">Caseflow</span>
        <nav aria-label="Main">
          {staff ? (
            <>
              <NavLink to="/queue">Queue</NavLink>
              <NavLink to="/manager">Manager view</NavLink>
              {(me.role === 'manager' || me.role === 'admin') && <NavLink to="/policy">Policy</NavLink>}
            </>
          ) : (
            <NavLink to="/portal">Portal</NavLink>
          )}
        </nav>
        {staff && <PhoneLookup />}
        <span className={`live live-${live.state}`} role="status" aria-live="polite" data-live={live.state}>
          {live.state === 'live'
            ? '● live'
            : live.state === 'offline'
              ? '○ offline, reconnecting'
              : live.state === 'stopped'
                ? '○ live updates stopped'
                : '○ connecting'}
        </span>
        <span className="who">
          {me.name} <span className="muted">({me.role.replace('_', ' ')})</span>
        </span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <RateLimitNotice />
        <Suspense fallback={<p role="status">Loading…</p>}>
          <Routes>
            <Route path="/" element={<Navigate to={home} replace />} />
            <Route path="/queue" element={<QueueView />} />
            <Route path="/manager" element={<ManagerView />} />
            <Route path="/policy" element={<PolicyView />} />
            <Route path="/portal" element={<PortalView />} />
            <Route path="/portal/new" element={<OpenCaseForm />} />
            <Route path="/cases/:ref" element={<CasePage />} />
            <Route path="*" element={<p>Nothing here.</p>} />
          </Routes>
        </Suspense>
      </main>
    </>
  );
}
