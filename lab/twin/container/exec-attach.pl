# How the command of a `docker exec` / `kubectl exec` meets the caller's terminal, as the container runtime and the
# client connect an exec (exec-attach.ts builds the call). Perl with perl-base's modules only, like the tool shims.
#
# Usage: perl exec-attach.pl PTMX STDIN FAILURE -- COMMAND...
#   PTMX     the container's pty multiplexer (<its root>/dev/pts/ptmx; /dev/ptmx is the caller's own), or '' for
#            no tty. With one, COMMAND runs on a new pty of the container (runc gives an exec with a terminal a
#            console of the container's devpts, and COMMAND must make it its controlling terminal: `setsid -c`),
#            relayed here as the docker client relays it: the caller's terminal raw while its input is attached,
#            the pty's size the caller's and following it.
#   STDIN    '1' when the caller's input reaches the command (-i). With a pty, typed bytes go to the pty. Without,
#            a terminal's input is fed through a pipe (the command sees no tty: `tty` says "not a tty", a shell no
#            prompt); piped input is already this process's stdin. '' : the command reads /dev/null, as runc gives
#            a process that has no stdin attached.
#   FAILURE  printed to stderr with the exit code when the command failed (kubectl's message), or ''.
# Exits with the command's code, 128 + the signal that ended it, as docker and kubectl report it.
use strict;
use warnings;
use POSIX ();

my ($ptmx, $stdin, $failure, $dashes, @command) = @ARGV;
die "usage: exec-attach.pl PTMX STDIN FAILURE -- COMMAND...\n" unless defined $dashes && $dashes eq '--' && @command;

# Linux's asm-generic/ioctls.h (x86, arm, arm64, riscv): the numbers Perl has no constants for in perl-base.
use constant { TIOCGWINSZ => 0x5413, TIOCSWINSZ => 0x5414, TIOCGPTN => 0x80045430, TIOCSPTLCK => 0x40045431 };

sub write_all {
  my ($handle, $data) = @_;
  for (my $sent = 0; $sent < length $data;) {
    my $wrote = syswrite($handle, $data, length($data) - $sent, $sent);
    return 0 unless defined $wrote;
    $sent += $wrote;
  }
  return 1;
}

sub fail { print STDERR "$command[0]: $_[0]\n"; exit 126 }

# The command's process, with stdin, stdout and stderr from `$setup` (run in the child before the exec).
sub start {
  my ($setup) = @_;
  my $pid = fork // fail("fork: $!");
  return $pid if $pid;
  $SIG{$_} = 'DEFAULT' for qw(INT QUIT TSTP CHLD WINCH);
  $setup->();
  exec { $command[0] } @command or do { print STDERR "$command[0]: $!\n"; POSIX::_exit(127) };
}

# The caller's terminal as moby/term's MakeRaw leaves it (moby/term termios_unix.go, which docker 24's
# hijackedIOStreamer.setupInput calls through streams.In().SetRawTerminal): no echo, no line editing, no signals
# from keys, bytes as typed. Returns the settings to restore.
sub make_raw {
  my $saved = POSIX::Termios->new;
  $saved->getattr(0) or return undef;
  my $raw = POSIX::Termios->new;
  $raw->getattr(0);
  $raw->setiflag($raw->getiflag & ~(POSIX::IGNBRK() | POSIX::BRKINT() | POSIX::PARMRK() | POSIX::ISTRIP()
    | POSIX::INLCR() | POSIX::IGNCR() | POSIX::ICRNL() | POSIX::IXON()));
  $raw->setoflag($raw->getoflag & ~POSIX::OPOST());
  $raw->setlflag($raw->getlflag
    & ~(POSIX::ECHO() | POSIX::ECHONL() | POSIX::ICANON() | POSIX::ISIG() | POSIX::IEXTEN()));
  $raw->setcflag(($raw->getcflag & ~(POSIX::CSIZE() | POSIX::PARENB())) | POSIX::CS8());
  $raw->setcc(POSIX::VMIN(), 1);
  $raw->setcc(POSIX::VTIME(), 0);
  $raw->setattr(0, POSIX::TCSANOW());
  return $saved;
}

# On a new pty of the container. The session ends when the command does (once what it printed is read), as the
# runtime closes an exec's console when its process exits: a job it left in the background does not hold it open.
sub on_pty {
  sysopen(my $master, $ptmx, POSIX::O_RDWR() | POSIX::O_NOCTTY()) or fail("$ptmx: $!");
  my ($unlock, $number) = (pack('i', 0), pack('I', 0));
  ioctl($master, TIOCSPTLCK, $unlock) && ioctl($master, TIOCGPTN, $number) or fail("$ptmx: $!");
  # The pty's name in the devpts instance that holds (pts/ptmx) or sits beside (/dev/ptmx) the multiplexer.
  my $pts = ($ptmx =~ s{(?:pts/)?ptmx$}{pts/}r) . unpack('I', $number);
  # The console's size is the caller's output's (docker 24 fillConsoleSize: Out().GetTtySize()), and follows it
  # while the caller's input is a terminal (interactiveExec: MonitorTtySize on SIGWINCH when In().IsTerminal()).
  my $resize = sub {
    my $size = pack('S4', 0, 0, 0, 0);
    ioctl(STDOUT, TIOCGWINSZ, $size) && ioctl($master, TIOCSWINSZ, $size);
  };
  $resize->() if -t STDOUT;
  my $pid = start(sub {
    sysopen(my $tty, $pts, POSIX::O_RDWR() | POSIX::O_NOCTTY()) or do { print STDERR "$pts: $!\n"; POSIX::_exit(126) };
    open(STDIN, '<&', $tty) && open(STDOUT, '>&', $tty) && open(STDERR, '>&', $tty) or POSIX::_exit(126);
    close $tty;
    close $master;
  });
  my $input = $stdin && 1;
  # Raw only while input is attached (hijack.go setupInput: `inputStream == nil || !tty` leaves the terminal be).
  my $saved = $input && -t STDIN ? make_raw() : undef;
  # Ended by its caller (a closed terminal, a kill): the caller's shell gets its terminal back as it was.
  my %number = (HUP => POSIX::SIGHUP(), TERM => POSIX::SIGTERM());
  $SIG{$_} = sub { $saved->setattr(0, POSIX::TCSANOW()); POSIX::_exit(128 + $number{ $_[0] }) } for $saved ? keys %number : ();
  $SIG{WINCH} = $resize if -t STDIN;
  # A handler, not the default, so that the command's end interrupts a select().
  $SIG{CHLD} = sub { };
  my $status;
  for (;;) {
    $status = $? if !defined $status && waitpid($pid, POSIX::WNOHANG()) == $pid;
    my $wanted = '';
    vec($wanted, fileno $master, 1) = 1;
    vec($wanted, 0, 1) = 1 if $input && !defined $status;
    # Once the command ended, only what is left in the pty is read. Before, the second is a bound on the rare
    # moment where it ends between the check above and the select (the signal then arrives before select waits).
    my $ready = select(my $got = $wanted, undef, undef, defined $status ? 0 : 1);
    if ($ready < 0) { next if $!{EINTR}; last }
    last if $ready == 0 && defined $status;
    if (vec($got, fileno $master, 1)) {
      # EIO once no process holds the pty any more.
      my $read = sysread($master, my $chunk, 65536);
      last unless $read;
      write_all(\*STDOUT, $chunk) or last;
    }
    if ($input && vec($got, 0, 1)) {
      my $read = sysread(STDIN, my $chunk, 65536);
      if ($read) { write_all($master, $chunk) } else { $input = 0 }
    }
  }
  $saved->setattr(0, POSIX::TCSANOW()) if $saved;
  unless (defined $status) { waitpid($pid, 0); $status = $? }
  return $status;
}

# Without a pty: a terminal's input through a pipe this process feeds until the command ends, else stdin as it is
# (piped input) or /dev/null.
sub piped {
  my $feed = $stdin && -t STDIN;
  my ($reader, $writer);
  if ($feed) { pipe($reader, $writer) or fail("pipe: $!") }
  my $pid = start(sub {
    if ($feed) { close $writer; open(STDIN, '<&', $reader) or POSIX::_exit(126) }
    elsif (!$stdin) { open(STDIN, '<', '/dev/null') or POSIX::_exit(126) }
  });
  return wait_for($pid) unless $feed;
  close $reader;
  # Ctrl-C ends the command (in this process group, as the caller's shell put it), which ends the feed.
  $SIG{$_} = 'IGNORE' for qw(INT QUIT TSTP PIPE);
  $SIG{CHLD} = sub { };
  while (waitpid($pid, POSIX::WNOHANG()) != $pid) {
    my $wanted = '';
    vec($wanted, 0, 1) = 1;
    # The second bounds the moment where the command ends between the check above and the select (see on_pty).
    next if select(my $got = $wanted, undef, undef, 1) <= 0;
    my $read = sysread(STDIN, my $chunk, 65536);
    next if $read && write_all($writer, $chunk);
    # End of input (Ctrl-D), or a command that reads no more: it reads its end, as docker's CloseWrite gives it.
    close $writer;
    return wait_for($pid);
  }
  return $?;
}

sub wait_for {
  my ($pid) = @_;
  $SIG{$_} = 'IGNORE' for qw(INT QUIT TSTP);
  waitpid($pid, 0);
  return $?;
}

my $status = $ptmx ne '' ? on_pty() : piped();
my $code = $status & 127 ? 128 + ($status & 127) : $status >> 8;
printf STDERR $failure, $code if $code != 0 && $failure ne '';
exit $code;
