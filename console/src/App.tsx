/** The shell: sign-in, navigation by role, the live-changes indicator, and the routes. */
import { lazy, Suspense, useState, type FormEvent } from 'react';
import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { LanguagePicker, useDocumentLanguage } from './ChromeLanguage';
import { RateLimitNotice } from './components/RateLimitNotice';
import { i18nFor, I18nContext, useI18n } from './i18n';
import { api } from './server-api/client';
import type { Organisation } from './server-api/types';
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
  const { t } = useI18n();
  const navigate = useNavigate();
  const [number, setNumber] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (/^[0-9]+$/.test(number.trim())) void navigate(`/cases/${number.trim()}`);
  };
  return (
    <form role="search" className="phone-lookup" onSubmit={submit}>
      <label htmlFor="phone-lookup">{t.caseNumber}</label>
      <input id="phone-lookup" inputMode="numeric" value={number} onChange={(e) => setNumber(e.target.value)} />
      <button type="submit">{t.lookUp}</button>
    </form>
  );
}

export function App() {
  const { me, loading, signOut } = useSession();
  const live = useCaseChanges(!!me);
  const chrome = useI18n();
  // Customers' chrome speaks their organisation's language (the portal's query: one cache entry).
  const customer = !!me && !isStaff(me);
  const orgs = useQuery({
    queryKey: ['organisations'],
    queryFn: () => api<{ items: Organisation[] }>('/v1/organisations'),
    staleTime: 60_000,
    enabled: customer,
  });
  const orgLanguage = customer ? orgs.data?.items[0]?.language : undefined;
  const i18n = orgLanguage ? i18nFor(orgLanguage) : chrome;
  const { t } = i18n;
  useDocumentLanguage(i18n.lang);
  if (loading) return <p role="status">{t.signingIn}</p>;
  if (!me) return <SignIn />;
  const staff = isStaff(me);
  const home = staff ? (me.role === 'manager' ? '/manager' : '/queue') : '/portal';
  return (
    <I18nContext.Provider value={i18n}>
      <a href="#main" className="skip">
        {t.skipToContent}
      </a>
      <header className="top">
        <span className="brand">Caseflow</span>
        <nav aria-label={t.mainNavigation}>
          {staff ? (
            <>
              <NavLink to="/queue">{t.navQueue}</NavLink>
              <NavLink to="/manager">{t.navManager}</NavLink>
              {(me.role === 'manager' || me.role === 'admin') && <NavLink to="/policy">{t.navPolicy}</NavLink>}
            </>
          ) : (
            <NavLink to="/portal">{t.navPortal}</NavLink>
          )}
        </nav>
        {staff && <PhoneLookup />}
        <span className={`live live-${live.state}`} role="status" aria-live="polite" data-live={live.state}>
          {live.state === 'live'
            ? t.liveOn
            : live.state === 'offline'
              ? t.liveOffline
              : live.state === 'stopped'
                ? t.liveStopped
                : t.liveConnecting}
        </span>
        <span className="who">
          {me.name} <span className="muted">({(t.roles as Record<string, string>)[me.role] ?? me.role})</span>
        </span>
        {staff && <LanguagePicker />}
        <button type="button" onClick={signOut}>
          {t.signOut}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <RateLimitNotice />
        <Suspense fallback={<p role="status">{t.loading}</p>}>
          <Routes>
            <Route path="/" element={<Navigate to={home} replace />} />
            <Route path="/queue" element={<QueueView />} />
            <Route path="/manager" element={<ManagerView />} />
            <Route path="/policy" element={<PolicyView />} />
            <Route path="/portal" element={<PortalView />} />
            <Route path="/portal/new" element={<OpenCaseForm />} />
            <Route path="/cases/:ref" element={<CasePage />} />
            <Route path="*" element={<p>{t.nothingHere}</p>} />
          </Routes>
        </Suspense>
      </main>
    </I18nContext.Provider>
  );
}
