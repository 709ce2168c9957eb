/*
 * kfit's oracle for menu_finalize(): parses a Kconfig tree with the kernel's own scripts/kconfig code (linked
 * from the objects the oracle's make built, conf.o left out) and prints the finalized menu tree in the format
 * of src/core/kconfig/menu-tree-dump.test-support.ts: `depth|symbol|prompt|dep|prompt visibility` per node in
 * pre-order, `S|name|dir_dep|rev_dep|implied` after a symbol's first node. Written for kfit's tests; it only
 * calls conf_parse() and expr_print() and walks rootmenu.
 */
#include <stdio.h>
#include "lkc.h"

#define DUMPED (1u << 30) /* a symbol flag bit conf does not use */

static void out(void *data, struct symbol *sym, const char *str)
{
	fputs(str, stdout);
}

static void print_expr(struct expr *e)
{
	if (e)
		expr_print(e, out, NULL, E_NONE);
	else
		fputs("y", stdout);
}

static void walk(struct menu *menu, int depth)
{
	for (; menu; menu = menu->next) {
		struct symbol *sym = menu->sym;

		printf("%d|%s|%s|", depth, sym ? (sym->name ? sym->name : "<choice>") : "-", menu->prompt ? menu->prompt->text : "");
		print_expr(menu->dep);
		fputs("|", stdout);
		if (menu->prompt)
			print_expr(menu->prompt->visible.expr);
		fputs("\n", stdout);
		if (sym && sym->name && !(sym->flags & DUMPED)) {
			sym->flags |= DUMPED;
			printf("S|%s|", sym->name);
			print_expr(sym->dir_dep.expr);
			fputs("|", stdout);
			print_expr(sym->rev_dep.expr);
			fputs("|", stdout);
			print_expr(sym->implied.expr);
			fputs("\n", stdout);
		}
		walk(menu->list, depth + 1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s KCONFIG\n", argv[0]);
		return 2;
	}
	conf_parse(argv[1]);
	walk(rootmenu.list, 0);
	return 0;
}
