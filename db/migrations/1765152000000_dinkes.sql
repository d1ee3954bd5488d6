-- Up Migration

-- Dinkes (the health office) refers people flagged psychiatric or medical to an RSJ or hospital
-- and reports their discharge, before the rest of the procedure.
ALTER TABLE agencies DROP CONSTRAINT agencies_role_check;
ALTER TABLE agencies ADD CONSTRAINT agencies_role_check
  CHECK (role IN ('satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'dinkes', 'supervisor', 'auditor'));
ALTER TABLE working_hours DROP CONSTRAINT working_hours_role_check;
ALTER TABLE working_hours ADD CONSTRAINT working_hours_role_check
  CHECK (role IN ('satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'dinkes', 'supervisor', 'auditor', 'head_of_office'));

-- Down Migration
DELETE FROM working_hours WHERE role = 'dinkes';
ALTER TABLE working_hours DROP CONSTRAINT working_hours_role_check;
ALTER TABLE working_hours ADD CONSTRAINT working_hours_role_check
  CHECK (role IN ('satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'supervisor', 'auditor', 'head_of_office'));
ALTER TABLE agencies DROP CONSTRAINT agencies_role_check;
ALTER TABLE agencies ADD CONSTRAINT agencies_role_check
  CHECK (role IN ('satpol_pp', 'dinsos_kabkota', 'dukcapil', 'dinsos_prov', 'upt', 'supervisor', 'auditor'));
