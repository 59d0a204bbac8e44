-- Issue 11: the customer's access code of a case (查询码), 8 characters of Crockford's base 32
-- drawn at registration (domain::cases::access_code). The public status page asks for the
-- case number and this code; '' = not drawn yet (filled by 0017).
ALTER TABLE cases ADD COLUMN access_code TEXT NOT NULL DEFAULT '';
