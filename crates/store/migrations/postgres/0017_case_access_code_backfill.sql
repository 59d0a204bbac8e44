-- Issue 11: an access code for every case registered before 0016. gen_random_uuid() draws
-- from the server's strong random source; bytes 0–5 and 10–11 of a version-4 UUID are wholly
-- random, and & 31 picks one of the 32 symbols without bias. The subquery names the outer
-- row, so it runs once per case (one UUID each).
UPDATE cases SET access_code = (
    SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', (get_byte(r.b, i) & 31) + 1, 1), '' ORDER BY i)
    FROM (SELECT uuid_send(gen_random_uuid()) AS b WHERE cases.id IS NOT NULL) r,
         unnest(ARRAY[0, 1, 2, 3, 4, 5, 10, 11]) AS i
)
WHERE access_code = '';
