/* e0: the program the binders exec in `make bench`. No libc, no start-up
 * code: its entry point is exit_group(0), so next to nothing runs after the
 * exec and its own cost is the baseline the wall-time figures subtract.
 * Build: cc -static -nostdlib -O2 -o e0 bench/exit0.c */
__attribute__((naked, noreturn)) void _start(void)
{
	__asm__("mov $231, %eax\n\t" /* __NR_exit_group */
	        "xor %edi, %edi\n\t"
	        "syscall");
}
