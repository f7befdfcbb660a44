import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App';
import { ChromeLanguageProvider } from './ChromeLanguage';
import { SessionProvider } from './session';
import './styles.css';

const client = new QueryClient({ defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false, staleTime: 5_000 } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={client}>
      <BrowserRouter>
        <ChromeLanguageProvider>
          <SessionProvider>
            <App />
          </SessionProvider>
        </ChromeLanguageProvider>
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
