/**
 * "Catat langkah" on the Kasus screen: a button for each step this person may post on this case
 * now (available.ts), and the form of the one opened. Opening a form makes its Idempotency-Key, so a
 * retry inside the form keeps it and every newly opened form is a new step.
 */
import { useState } from 'react';
import type { CaseView, Me } from '../api/client';
import { useI18n } from '../i18n';
import { stepsFor } from './available';
import { stepKey, type StepName } from './definitions';
import { StepForm } from './step-form';

export function StepForms({ me, view }: { me: Me; view: CaseView }) {
  const { t } = useI18n();
  const [open, setOpen] = useState<{ step: StepName; idempotencyKey: string } | null>(null);
  const [recorded, setRecorded] = useState<StepName | null>(null);
  const steps = stepsFor(me, view);

  return (
    <section id="langkah" aria-labelledby="langkah-judul">
      <h2 id="langkah-judul">{t('langkah.judul')}</h2>
      {steps.length === 0 ? (
        <p id="langkah-kosong">{t('langkah.kosong')}</p>
      ) : (
        <ul className="pilihan-langkah">
          {steps.map((step) => (
            <li key={step}>
              <button
                type="button"
                data-langkah={step}
                aria-expanded={open?.step === step}
                onClick={() => {
                  setRecorded(null);
                  setOpen({ step, idempotencyKey: crypto.randomUUID() });
                }}
              >
                {t(stepKey(step))}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p id="langkah-tercatat" role="status">
        {recorded && t('langkah.tercatat', { langkah: t(stepKey(recorded)) })}
      </p>
      {open && (
        <StepForm
          key={open.idempotencyKey}
          step={open.step}
          caseNumber={view.caseNumber}
          idempotencyKey={open.idempotencyKey}
          onRecorded={() => {
            setRecorded(open.step);
            setOpen(null);
          }}
          onCancel={() => setOpen(null)}
        />
      )}
    </section>
  );
}
