# The client behind every tool shim in <runDir>/bin (kubectl, docker, clab, ...). Perl with perl-base's modules only
# (perl-base is Essential on Debian and Ubuntu, like the dpkg the twin's preflight relies on): it starts in a few ms
# where Node takes 80-100 ms, and the learner's scripts make dozens of tool calls (bench/lab).
#
# Usage: perl client.pl <socket> <tool> [args...], or loaded by a shim (shims.ts) that sets @ARGV so.
# Protocol (newline-delimited JSON): the client sends one request line
#   { tool, argv, cwd, env, stdin, tty }
# and the daemon answers with frames: { o: text } stdout, { e: text } stderr, then { x: code } to exit or
# { l: argv } to run argv here with inherited stdio (interactive shells need the caller's terminal). A streaming
# command (kubectl get -w) may first send { i: code }: Ctrl-C then ends the client quietly with that code, as the real
# tool's interrupt handler does; the daemon sees the socket close and stops the command.
use strict;
use warnings;
use Cwd ();
use Errno ();
use Socket qw(PF_UNIX SOCK_STREAM pack_sockaddr_un);

my ($socket_path, $tool, @argv) = @ARGV;
my $tty = (-t STDIN && -t STDOUT) ? 1 : 0;

# JSON string of bytes taken as UTF-8 text (the daemon decodes the line as UTF-8, as it did Node's strings).
sub quote {
  my ($text) = @_;
  $text =~ s/(["\\])/\\$1/g;
  $text =~ s/([\x00-\x1f\x7f])/sprintf('\\u%04x', ord $1)/ge;
  return qq("$text");
}

# The daemon writes frames with JSON.stringify: escapes are \" \\ \/ \b \f \n \r \t and \uXXXX (control characters
# and lone surrogates, which Node would print as U+FFFD); everything else arrives as raw UTF-8 and stays bytes.
my %ESCAPES = ('"' => '"', '\\' => '\\', '/' => '/', b => "\b", f => "\f", n => "\n", r => "\r", t => "\t");
sub utf8_char {
  my ($code) = @_;
  my $char = chr($code >= 0xD800 && $code <= 0xDFFF ? 0xFFFD : $code);
  utf8::encode($char);
  return $char;
}
sub unquote {
  my ($json) = @_;
  $json =~ s{\\(?:u([0-9a-fA-F]{4})|(.))}{ defined $1 ? utf8_char(hex $1) : $ESCAPES{$2} }ge;
  return $json;
}

# `docker exec` / `kubectl exec` without -i never read stdin, like the real tools: a loop such as
# `while read n; do docker exec $n ...; done < list` must not have its input swallowed. Nor do a router's VyOS
# commands (`show`, `set`, `commit` in a script fed to bash on stdin must leave the rest of the script to bash).
sub wants_stdin {
  return 0 if -t STDIN || $tool eq 'vyos';
  if (($tool eq 'docker' || $tool eq 'kubectl') && @argv && $argv[0] eq 'exec') {
    return scalar grep { /^-[a-z]*i[a-z]*$/ || $_ eq '--interactive' || $_ eq '--stdin' } @argv;
  }
  return 1;
}

my $stdin = 'null';
my $stdin_text;    # what was read of a piped stdin: also the stdin of a command run here (run_local)
if (wants_stdin()) {
  local $/;
  $stdin_text = <STDIN>;    # a closed or unreadable stdin reads as none
  $stdin = quote($stdin_text) if defined $stdin_text;
}
my $env = join(',', map { quote($_) . ':' . quote($ENV{$_}) } sort keys %ENV);
my $cwd = Cwd::getcwd() // $ENV{PWD} // '/';
my $request = '{"tool":' . quote($tool) . ',"argv":[' . join(',', map { quote($_) } @argv) . '],"cwd":' . quote($cwd)
  . ',"env":{' . $env . '},"stdin":' . $stdin . ',"tty":' . ($tty ? 'true' : 'false') . "}\n";

socket(my $socket, PF_UNIX, SOCK_STREAM, 0) or die "$tool: socket: $!\n";
unless (connect($socket, pack_sockaddr_un($socket_path))) {
  my ($code) = grep { $!{$_} } keys %!;
  print STDERR "$tool: the lab is not running (" . ($code // "$!") . ")\n";
  exit 1;
}

# Unbuffered, so stdout and stderr interleave as the daemon sent them.
sub write_all {
  my ($handle, $data) = @_;
  for (my $sent = 0; $sent < length $data;) {
    my $wrote = syswrite($handle, $data, length($data) - $sent, $sent);
    return 0 unless defined $wrote;
    $sent += $wrote;
  }
  return 1;
}
write_all($socket, $request) or exit 1;

sub run_local {
  my @local = @_;
  close $socket;
  # Nothing to hand over: this process becomes the command, which then owns the terminal and its signals as if the
  # caller had run it, and no process waits beside it for the command's lifetime (an interactive shell's).
  exec { $local[0] } @local or do { print STDERR "$local[0]: $!\n"; exit 127 } unless defined $stdin_text;
  # The child owns the terminal now: Ctrl-C must reach it, not end this process and orphan it. Ignored here before
  # the fork (no window where a Ctrl-C ends this process), and back to the default in the child before exec, since
  # an ignored signal stays ignored across exec and the command (`sleep`, `httpd`) could then not be interrupted.
  $SIG{$_} = 'IGNORE' for qw(INT QUIT TSTP);
  # The stdin read for the daemon is gone from this process's stdin: the command gets it through a pipe, as if it
  # had inherited it (`docker exec -i NODE sh < script`). A command that stops reading early is no error here.
  pipe(my $reader, my $writer) or do { print STDERR "$local[0]: $!\n"; exit 127 };
  my $pid = fork;
  if (!defined $pid) { print STDERR "$local[0]: $!\n"; exit 127 }
  if ($pid == 0) {
    $SIG{$_} = 'DEFAULT' for qw(INT QUIT TSTP);
    close $writer;
    open(STDIN, '<&', $reader) or exit 127;
    close $reader;
    exec { $local[0] } @local or do { print STDERR "$local[0]: $!\n"; exit 127 };
  }
  close $reader;
  {
    local $SIG{PIPE} = 'IGNORE';
    write_all($writer, $stdin_text);
  }
  close $writer;
  waitpid($pid, 0);
  exit($? & 127 ? 128 + ($? & 127) : $? >> 8);
}

my $buffered = '';
while (sysread($socket, $buffered, 65536, length $buffered)) {
  while ((my $newline = index($buffered, "\n")) >= 0) {
    my $frame = substr($buffered, 0, $newline + 1, '');
    if (my ($stream, $text) = $frame =~ /^\{"([oe])":"(.*)"\}\n$/s) { write_all($stream eq 'o' ? \*STDOUT : \*STDERR, unquote($text)) }
    elsif (my ($code) = $frame =~ /^\{"x":(-?\d+)\}\n$/) { exit $code }
    elsif (my ($interrupted) = $frame =~ /^\{"i":(\d+)\}\n$/) { $SIG{$_} = sub { exit $interrupted } for qw(INT TERM HUP QUIT) }
    elsif (my ($list) = $frame =~ /^\{"l":\[(.*)\]\}\n$/s) { run_local(map { unquote($_) } $list =~ /"((?:[^"\\]|\\.)*)"/g) }
  }
}
exit 1;
