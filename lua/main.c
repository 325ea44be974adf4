/* main.c: the `copydesk` command, a host like lua.c: runs one-off scripts and shipped recipes
** with the module loaded as the global `copydesk`. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#include "copydesk_lua.h"

/* Where the recipes and the Lua helpers are: set by the Makefile to the source tree for the
** build, and to the installed folders for `make install`. */
#ifndef COPYDESK_SCRIPTS_DIR
#define COPYDESK_SCRIPTS_DIR "scripts"
#endif
#ifndef COPYDESK_LUA_DIR
#define COPYDESK_LUA_DIR "lua"
#endif

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130

static const char *progname = "copydesk";
static lua_State *globalL = NULL;
static volatile sig_atomic_t interrupted = 0;

static const char usage_text[] =
  "usage: copydesk SCRIPT.lua [ARGS...]   run a Lua script with the copydesk module\n"
  "       copydesk FILTER.lua INPUT... [-o OUT] [options]\n"
  "                                       a script returning handlers: clean's options, steps off\n"
  "       copydesk RECIPE [ARGS...]       run a shipped recipe (RECIPE --help for its usage)\n"
  "       copydesk -e CODE [ARGS...]      run CODE\n"
  "       copydesk --list                 list the shipped recipes\n"
  "       copydesk -i                     an interactive prompt (also: no arguments on a terminal)\n"
  "       copydesk --version | --help\n"
  "SCRIPT may be - for standard input. COPYDESK_HOME=DIR takes recipes from DIR/scripts and\n"
  "helpers from DIR/lua.\n";

static void l_message(const char *msg) {
  fprintf(stderr, "%s: %s\n", progname, msg);
  fflush(stderr);
}

/* Prints a failed status's message; the message handler already added the traceback. */
static int report(lua_State *L, int status) {
  if (status != LUA_OK) {
    const char *msg = lua_tostring(L, -1);
    l_message(msg ? msg : "(error object is not a string)");
    lua_pop(L, 1);
  }
  return status;
}

/* Turns any error object into a message with a traceback, as lua.c's msghandler does. */
static int msghandler(lua_State *L) {
  const char *msg = lua_tostring(L, 1);
  if (msg == NULL) {
    if (luaL_callmeta(L, 1, "__tostring") && lua_type(L, -1) == LUA_TSTRING) return 1;
    msg = lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
  }
  luaL_traceback(L, L, msg, 1);
  return 1;
}

/* On SIGINT, raise "interrupted!" at the next Lua instruction so to-be-closed outputs clean up
** and the summary still prints (lua.c's laction/lstop). The flag is set in the handler, so the
** exit status is 130 even when a script's pcall catches the error. */
static void lstop(lua_State *L, lua_Debug *ar) {
  (void)ar;
  lua_sethook(L, NULL, 0, 0);
  luaL_error(L, "interrupted!");
}

static void setsignal(int sig, void (*handler)(int)) {
  struct sigaction sa;
  sa.sa_handler = handler;
  sa.sa_flags = 0;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
}

static void laction(int sig) {
  int flag = LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT;
  setsignal(sig, SIG_DFL); /* a second Ctrl-C kills the process */
  interrupted = 1;
  lua_sethook(globalL, lstop, flag, 1);
}

static int docall(lua_State *L, int narg, int nres) {
  int status, base = lua_gettop(L) - narg;
  lua_pushcfunction(L, msghandler);
  lua_insert(L, base);
  globalL = L;
  setsignal(SIGINT, laction);
  status = lua_pcall(L, narg, nres, base);
  setsignal(SIGINT, SIG_DFL);
  lua_sethook(L, NULL, 0, 0); /* a signal that came after the call must not fire later */
  lua_remove(L, base);
  return status;
}

/* A returned integer in 0..255 is the exit status; another value is a usage error. */
static void setexit(lua_State *L, int *exitcode) {
  if (lua_isinteger(L, -1)) {
    lua_Integer v = lua_tointeger(L, -1);
    *exitcode = v >= 0 && v <= 255 ? (int)v : EXIT_USAGE;
  }
  lua_pop(L, 1);
}

/* arg[0] is the script, its arguments 1..n; the command and its options sit at negative indices. */
static void createargtable(lua_State *L, char **argv, int argc, int script) {
  int i;
  lua_createtable(L, argc - script - 1, script + 1);
  for (i = 0; i < argc; i++) {
    lua_pushstring(L, argv[i]);
    lua_rawseti(L, -2, i - script);
  }
  lua_setglobal(L, "arg");
}

static int pushargs(lua_State *L) {
  int i, n;
  if (lua_getglobal(L, "arg") != LUA_TTABLE) luaL_error(L, "'arg' is not a table");
  n = (int)luaL_len(L, -1);
  luaL_checkstack(L, n + 3, "too many arguments to script");
  for (i = 1; i <= n; i++) lua_rawgeti(L, -i, i);
  lua_remove(L, -i);
  return n;
}

/* Pushes the folder of the recipes ("scripts") or of the Lua helpers ("lua"): below
** $COPYDESK_HOME when it is set, else the one fixed at build time. */
static const char *pushdir(lua_State *L, const char *which) {
  const char *home = getenv("COPYDESK_HOME");
  if (home && *home) return lua_pushfstring(L, "%s/%s", home, which);
  return lua_pushstring(L, strcmp(which, "lua") == 0 ? COPYDESK_LUA_DIR : COPYDESK_SCRIPTS_DIR);
}

/* Loads the module as the global `copydesk`, and lets scripts require its Lua helpers. */
static void openmodule(lua_State *L) {
  luaL_requiref(L, "copydesk", luaopen_copydesk, 1);
  lua_pop(L, 1);
  copydesk_preload(L);
  lua_getglobal(L, "package");
  pushdir(L, "lua");
  lua_pushliteral(L, "/?.lua;");
  lua_getfield(L, -3, "path");
  lua_concat(L, 3);
  lua_setfield(L, -2, "path");
  lua_pop(L, 1);
}

static int runscript(lua_State *L, const char *name, int *exitcode);

/* A script file that returns a table is a filter: the clean recipe runs it over the script's
** arguments with every built-in step off (copydesk.filter.clean_arg_table makes clean's arg).
** arg[0] becomes the recipe, so clean's workers re-run clean, not the script. */
static int runfilter(lua_State *L, int *exitcode) {
  int status;
  lua_getglobal(L, "require");
  lua_pushliteral(L, "copydesk.filter");
  status = docall(L, 1, 1);
  if (status == LUA_OK) {
    lua_getfield(L, -1, "clean_arg_table");
    lua_remove(L, -2);
    lua_getglobal(L, "arg");
    status = docall(L, 1, 1);
  }
  if (status != LUA_OK) return report(L, status);
  lua_setglobal(L, "arg");
  return runscript(L, "clean", exitcode);
}

/* Runs the loaded chunk with the script arguments; a returned integer is the exit status, a
** returned table a filter. `filter` tells whether the chunk can be one: a script or recipe
** file, which clean and each of its workers load again. Code from standard input or -e cannot be read a
** second time, so a table it returns is a usage error that says so, never a silent no-op. */
static int runchunk(lua_State *L, int status, int *exitcode, int filter) {
  if (status == LUA_OK) {
    int n = pushargs(L);
    status = docall(L, n, 1);
  }
  if (status == LUA_OK && lua_istable(L, -1)) {
    lua_pop(L, 1);
    if (filter) return runfilter(L, exitcode);
    l_message("a filter (a script returning a table of handlers) must be a file: "
              "save it and run 'copydesk FILTER.lua INPUT...'");
    *exitcode = EXIT_USAGE;
    return LUA_OK;
  }
  if (status == LUA_OK) setexit(L, exitcode);
  return report(L, status);
}

/* A name without a slash or ".lua" names a recipe: scripts/NAME.lua. */
static int is_recipe(const char *name) {
  size_t n = strlen(name);
  return strcmp(name, "-") != 0 && strchr(name, '/') == NULL &&
         !(n > 4 && strcmp(name + n - 4, ".lua") == 0);
}

static int runscript(lua_State *L, const char *name, int *exitcode) {
  int status;
  if (is_recipe(name)) {
    FILE *f;
    lua_pushfstring(L, "%s/%s.lua", pushdir(L, "scripts"), name);
    lua_remove(L, -2);
    f = fopen(lua_tostring(L, -1), "r");
    if (f == NULL) {
      lua_pushfstring(L, "unknown recipe '%s' (copydesk --list shows them)", name);
      l_message(lua_tostring(L, -1));
      *exitcode = EXIT_USAGE;
      return LUA_ERRFILE;
    }
    fclose(f);
    lua_getglobal(L, "arg");
    lua_pushvalue(L, -2);
    lua_rawseti(L, -2, 0);
    lua_pop(L, 1);
    status = luaL_loadfilex(L, lua_tostring(L, -1), "t");
    lua_remove(L, -2);
    return runchunk(L, status, exitcode, 1);
  }
  status = luaL_loadfilex(L, strcmp(name, "-") == 0 ? NULL : name, "t");
  return runchunk(L, status, exitcode, strcmp(name, "-") != 0);
}

/* Calls require(module)[func](arg) (arg may be NULL: no argument); its result is the status. */
static int runhelper(lua_State *L, const char *module, const char *func, const char *arg,
                     int *exitcode) {
  int status;
  lua_getglobal(L, "require");
  lua_pushstring(L, module);
  status = docall(L, 1, 1);
  if (status == LUA_OK) {
    lua_getfield(L, -1, func);
    lua_remove(L, -2);
    if (arg) lua_pushstring(L, arg);
    status = docall(L, arg ? 1 : 0, 1);
    if (status == LUA_OK) setexit(L, exitcode);
  }
  return report(L, status);
}

static int usage(const char *badopt) {
  if (badopt) fprintf(stderr, "%s: unrecognized option '%s'\n", progname, badopt);
  fputs(usage_text, badopt ? stderr : stdout);
  return badopt ? EXIT_USAGE : EXIT_SUCCESS;
}

/* Everything runs here, protected: option parsing, loading, running. Returns the exit status
** through the integer at stack index 1. */
static int pmain(lua_State *L) {
  int argc = (int)lua_tointeger(L, 1);
  char **argv = (char **)lua_touserdata(L, 2);
  int exitcode = EXIT_SUCCESS, status = LUA_OK;
  const char *first = argc > 1 ? argv[1] : NULL;
  luaL_checkversion(L);
  luaL_openlibs(L);
  openmodule(L);
  if ((first == NULL && isatty(STDIN_FILENO)) || (first && strcmp(first, "-i") == 0)) {
    createargtable(L, argv, argc, argc > 1 ? 1 : 0);
    status = runhelper(L, "copydesk.repl", "run", NULL, &exitcode);
  } else if (first == NULL || strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
    exitcode = usage(NULL);
  } else if (strcmp(first, "--version") == 0) {
    printf("copydesk %s (Unicode %s, %s)\n", COPYDESK_VERSION_STRING, copydesk_unicode_version(),
           LUA_RELEASE);
  } else if (strcmp(first, "--list") == 0) {
    status = runhelper(L, "copydesk.cli", "list", pushdir(L, "scripts"), &exitcode);
    lua_pop(L, 1);
  } else if (strcmp(first, "-e") == 0) {
    if (argc < 3) {
      l_message("'-e' needs an argument");
      exitcode = EXIT_USAGE;
    } else {
      createargtable(L, argv, argc, 2);
      status = runchunk(L, luaL_loadbuffer(L, argv[2], strlen(argv[2]), "=(command line)"),
                        &exitcode, 0);
    }
  } else if (first[0] == '-' && first[1] != '\0') {
    exitcode = usage(first);
  } else {
    createargtable(L, argv, argc, 1);
    status = runscript(L, first, &exitcode);
  }
  if (interrupted) exitcode = EXIT_INTERRUPTED;
  else if (status != LUA_OK) exitcode = EXIT_USAGE;
  lua_pushinteger(L, exitcode);
  return 1;
}

/* A full disk shows only when stdout is flushed: that is a failure, not a silent loss. Run at
** exit, so os.exit() in a script is covered too. */
static void close_stdout(void) {
  if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
    l_message("error writing standard output");
    _exit(EXIT_FAILURE);
  }
}

int main(int argc, char **argv) {
  int status, exitcode;
  lua_State *L = luaL_newstate();
  atexit(close_stdout);
  if (L == NULL) {
    l_message("cannot create state: not enough memory");
    return EXIT_FAILURE;
  }
  lua_pushcfunction(L, pmain);
  lua_pushinteger(L, argc);
  lua_pushlightuserdata(L, argv);
  status = lua_pcall(L, 2, 1, 0);
  exitcode = status == LUA_OK ? (int)lua_tointeger(L, -1) : EXIT_USAGE;
  if (status != LUA_OK) report(L, status);
  lua_close(L);
  return exitcode;
}
