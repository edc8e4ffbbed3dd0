-- OCP access-key signatures of state-changing API calls already accepted (io.obops.operations):
-- the same signed request sent again within the Date window is a replay and refused, on every
-- replica, by the primary key. Rows older than twice the window are deleted as new ones arrive.
-- Portable between PostgreSQL 15+ and H2 2.x (MODE=PostgreSQL).
create table api_signature_use (
    key_id     varchar(128) not null,
    signature  varchar(64) not null,
    used_at    timestamp with time zone not null,
    primary key (key_id, signature)
);
create index api_signature_use_time on api_signature_use (used_at);
