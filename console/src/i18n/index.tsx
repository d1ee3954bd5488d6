/**
 * The console's small i18n layer: Bahasa Indonesia first, English on request (kept in the
 * browser), `t(key, values)` with keys the compiler checks, and `<html lang>` kept in step.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { id, type MessageKey } from './id';

export type Language = 'id' | 'en';
export type { MessageKey };
export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { id, en };
const STORAGE_KEY = 'ppks-bahasa';

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
  /** Dates and times as people in East Java read them: WIB (Asia/Jakarta). */
  formatTime: (iso: string) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => (localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id'));
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguageState(next);
  }, []);
  const value = useMemo<I18n>(() => {
    const dictionary = DICTIONARIES[language];
    const timeFormat = new Intl.DateTimeFormat(language === 'id' ? 'id-ID' : 'en-GB', {
      timeZone: 'Asia/Jakarta',
      dateStyle: 'medium',
      timeStyle: 'short',
    });
    return {
      language,
      setLanguage,
      t: (key, values = {}) => dictionary[key].replace(/\{(\w+)\}/g, (whole, name: string) => String(values[name] ?? whole)),
      formatTime: (iso) => `${timeFormat.format(new Date(iso))} WIB`,
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
