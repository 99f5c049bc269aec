-- Run by docker-compose.yml's db-roles service as the superuser, on every start (idempotent): the two roles
-- of README "Database roles", with the passwords from the env file (psql variables owner_password, service_password).
select format('create role statementtracker_owner login') where not exists (select from pg_roles where rolname = 'statementtracker_owner') \gexec
select format('create role statementtracker_service login') where not exists (select from pg_roles where rolname = 'statementtracker_service') \gexec
alter role statementtracker_owner password :'owner_password';
alter role statementtracker_service password :'service_password';
-- The owner hands the service its read models, so it must be a member of the service role.
grant statementtracker_service to statementtracker_owner;
alter database statementtracker owner to statementtracker_owner;
alter schema public owner to statementtracker_owner;
