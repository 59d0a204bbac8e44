-- A staff member's photo (挂牌服务): the re-encoded image and its thumbnail, kept beside
-- the staff row; staff.photo holds the URL the screens load it from.
CREATE TABLE staff_photos (
    staff_id INTEGER PRIMARY KEY REFERENCES staff(id),
    mime TEXT NOT NULL,
    image BLOB NOT NULL,
    thumb BLOB NOT NULL,
    updated_at INTEGER NOT NULL
);
