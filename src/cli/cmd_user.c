/*
 * msoko user: accounts of the web application. add / passwd / role / disable / enable / delete /
 * list. Passwords are read
 * from --password, $MSOKO_PASSWORD, or generated and printed once; every change is one
 * transaction with an audit row (app_user_*; who: $USER on this machine, else cli-UID).
 */
#include "app/app.h"
#include "cli/cli.h"
#include "store/user.h"
#include "web/pass.h"

#include <sodium.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_user(int argc, char **argv);

static int valid_role(const char *r)
{
    return !strcmp(r, "admin") || !strcmp(r, "analyst") || !strcmp(r, "regional") ||
           !strcmp(r, "school");
}

/* An action that takes only a login and changes the account's state (no password, no role). */
static int state_action(const char *act)
{
    return !strcmp(act, "disable") || !strcmp(act, "enable") || !strcmp(act, "delete");
}

/* --role, --school and --municipality together: 0, or the usage error printed (1). */
static int role_usage(const cli_command *cmd, const char *act, const char *role, const char *school,
                      const char *muni)
{
    if ((!strcmp(act, "add") || !strcmp(act, "role")) && !role)
        return cli_usage(cmd, "укажите --role admin, analyst, regional или school"), 1;
    if (role && !valid_role(role))
        return cli_usage(cmd, "--role: admin, analyst, regional или school, получено «%s»", role),
               1;
    if (muni && (!role || strcmp(role, "analyst")))
        return cli_usage(cmd, "--municipality нужен только для роли analyst (аналитик одного "
                              "муниципалитета)"),
               1;
    if (role && !strcmp(role, "school") && !school)
        return cli_usage(cmd, "для роли school укажите --school КОД"), 1;
    if (role && strcmp(role, "school") && school)
        return cli_usage(cmd, "--school нужен только для роли school"), 1;
    return 0;
}

int cmd_user(int argc, char **argv)
{
    cli_opt opts[] = {
        {"db", 1, NULL, 0, NULL, 0},       {"role", 1, NULL, 0, NULL, 0},
        {"school", 1, NULL, 0, NULL, 0},   {"municipality", 1, NULL, 0, NULL, 0},
        {"password", 1, NULL, 0, NULL, 0},
    };
    const int nopts = (int)(sizeof opts / sizeof opts[0]);
    const char *pos[argc > 0 ? argc : 1];
    int npos;
    const cli_command *cmd = cli_find("user");
    int rc = cli_parse(cmd, argc, argv, opts, nopts, pos, &npos);
    if (rc)
        return rc > 0 ? EXIT_OK : EXIT_USAGE;
    if (npos < 1)
        return cli_usage(cmd,
                         "укажите действие: add, passwd, role, disable, enable, delete или list");
    const char *act = pos[0], *login = npos > 1 ? pos[1] : NULL;
    const char *role = cli_get(opts, nopts, "role"), *school = cli_get(opts, nopts, "school");
    const char *muni = cli_get(opts, nopts, "municipality");
    int list = !strcmp(act, "list");
    if (!list && strcmp(act, "add") && strcmp(act, "passwd") && strcmp(act, "role") &&
        !state_action(act))
        return cli_usage(cmd,
                         "неизвестное действие «%s» (add, passwd, role, disable, enable, delete, "
                         "list)",
                         act);
    if (state_action(act) && (role || school || cli_get(opts, nopts, "password")))
        return cli_usage(cmd, "%s принимает только имя пользователя", act);
    if (!list && (!login || npos > 2))
        return cli_usage(cmd, "укажите одно имя пользователя");
    if (list && npos > 1)
        return cli_usage(cmd, "list не принимает аргументов");
    if (role_usage(cmd, act, role, school, muni))
        return EXIT_USAGE;
    if (login && (strlen(login) > 60 || strpbrk(login, " \t\r\n<>\"'&")))
        return cli_usage(cmd, "имя пользователя: до 60 символов без пробелов и <>\"'&");
    if (sodium_init() < 0) {
        fprintf(stderr, "msoko: libsodium не инициализирована\n");
        return EXIT_USER;
    }

    msk_err err;
    msk_err_clear(&err);
    store *s = NULL;
    const char *db = cli_db_path(opts, nopts);
    if (store_open(db, list ? STORE_READ : STORE_WRITE, &s, &err))
        return cli_fail(&err);
    if (list) {
        store_user *rows = NULL;
        size_t n = 0;
        if (store_user_list(s, &rows, &n, &err)) {
            store_close(s);
            return cli_fail(&err);
        }
        if (!n)
            printf("Пользователей пока нет: msoko user add ИМЯ --role admin\n");
        for (size_t i = 0; i < n; i++)
            printf("%s\t%s\t%s\t%s%s\n", rows[i].login, rows[i].role,
                   rows[i].school[0]         ? rows[i].school
                   : rows[i].municipality[0] ? rows[i].municipality
                                             : "-",
                   rows[i].created_at, rows[i].disabled ? "\tотключён" : "");
        free(rows);
        store_close(s);
        return EXIT_OK;
    }
    char pw[17] = "", hash[256];
    const char *pass = NULL;
    if (strcmp(act, "role") && !state_action(act)) {
        pass = cli_get(opts, nopts, "password");
        if (!pass)
            pass = getenv("MSOKO_PASSWORD");
        if (!pass || !*pass) {
            web_pass_generate(pw);
            pass = pw;
        }
        if (store_password_check(login, pass, &err)) {
            store_close(s);
            return cli_usage(cmd, "%s", err.msg);
        }
        if (web_pass_hash(pass, hash, sizeof hash, &err)) {
            store_close(s);
            return cli_fail(&err);
        }
    }
    app_actor who;
    app_actor_cli(s, NULL, &who);
    if (!strcmp(act, "add"))
        rc = app_user_add_in(s, &who, login, hash, role, school, muni, 0, &err);
    else if (!strcmp(act, "passwd"))
        rc = app_user_passwd(s, &who, login, hash, 0, &err);
    else if (!strcmp(act, "role"))
        rc = app_user_role_in(s, &who, login, role, school, muni, &err);
    else if (!strcmp(act, "delete"))
        rc = app_user_delete(s, &who, login, &err);
    else
        rc = app_user_disable(s, &who, login, !strcmp(act, "disable"), &err);
    store_close(s);
    if (rc)
        return cli_fail(&err);
    if (!strcmp(act, "add"))
        printf("Пользователь %s (%s) добавлен.\n", login, role);
    else if (!strcmp(act, "passwd"))
        printf("Пароль пользователя %s изменён; его сеансы завершены.\n", login);
    else if (!strcmp(act, "role"))
        printf("Роль пользователя %s: %s.\n", login, role);
    else if (!strcmp(act, "delete"))
        printf("Пользователь %s удалён; журнал его действий сохранён.\n", login);
    else
        printf("Пользователь %s %s.\n", login,
               !strcmp(act, "disable") ? "отключён; его сеансы завершены" : "снова может войти");
    if (pw[0])
        printf("Пароль: %s\n", pw);
    return EXIT_OK;
}
