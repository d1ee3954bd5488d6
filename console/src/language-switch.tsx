/** The button that switches between Bahasa Indonesia and English, on every screen. */
import { useI18n } from './i18n';

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <button
      type="button"
      id="bahasa"
      className="tautan"
      aria-label={t('bahasa.label')}
      onClick={() => setLanguage(language === 'id' ? 'en' : 'id')}
    >
      {/* The other language's name, in that language (WCAG 3.1.2). */}
      <span lang={language === 'id' ? 'en' : 'id'}>{t('bahasa.ganti')}</span>
    </button>
  );
}
