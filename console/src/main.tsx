/** The staff console in the browser: the query cache, the language, the router, the app. */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './app';
import { I18nProvider } from './i18n';
import './console.css';

const queries = new QueryClient({ defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: true } } });

createRoot(document.getElementById('aplikasi')!).render(
  <StrictMode>
    <QueryClientProvider client={queries}>
      <I18nProvider>
        {/* Without transitions: a filter kept in the URL (Tugas) changes on the tap itself, not a moment
            later on a slow phone, where a controlled checkbox springs back until the transition lands. */}
        <BrowserRouter useTransitions={false}>
          <App />
        </BrowserRouter>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
