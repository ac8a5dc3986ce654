/*
 * The database schema as numbered migrations (PRAGMA user_version = the last one applied).
 */
#ifndef MSK_SCHEMA_H
#define MSK_SCHEMA_H

/* The newest version this build knows. */
int schema_version(void);
/* SQL that moves a database from version i-1 to i (1 <= i <= schema_version()), or NULL. */
const char *schema_migration(int i);

#endif
