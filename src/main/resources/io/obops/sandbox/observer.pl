#!/usr/bin/perl
# A simulated OceanBase observer for the obops sandbox: it looks like the real one from the outside
# (argv[0] is HOME/bin/observer, HOME/run/observer.pid, listening mysql and rpc ports) and costs a
# few MB. Started the way obd starts an observer: cd HOME; HOME/bin/observer -p MYSQL_PORT ...
#   -p mysql_port  -P rpc_port  -I ip  (other obd options are accepted and ignored)
# Environment (invisible in /proc/PID/cmdline):
#   OBOPS_SANDBOX_TERM_DELAY_MS  how long to take to exit after SIGTERM (default 0)
#   OBOPS_SANDBOX_IGNORE_TERM=1  ignore SIGTERM (only SIGKILL stops it)
# The launching process exits 0 once the daemon listens and has written its pid file, or 1 with
# the reason on stdout.
use strict;
use warnings;
use Socket qw(PF_INET SOCK_STREAM SOL_SOCKET SO_REUSEADDR SO_REUSEPORT inet_aton pack_sockaddr_in);
use POSIX ();

my $self = $0;
my @args = @ARGV;
my ($mysql_port, $rpc_port, $ip) = (2881, 2882, '0.0.0.0');
while (@ARGV) {
    my $opt = shift @ARGV;
    if    ($opt eq '-p') { $mysql_port = shift @ARGV; }
    elsif ($opt eq '-P') { $rpc_port   = shift @ARGV; }
    elsif ($opt eq '-I') { $ip         = shift @ARGV; }
    else                 { shift @ARGV if @ARGV && $ARGV[0] !~ /^-/; }
}
(my $home = $self) =~ s{/bin/observer\z}{}s or die "not started as HOME/bin/observer: $self\n";
my $term_delay = ($ENV{OBOPS_SANDBOX_TERM_DELAY_MS} // 0) / 1000.0;
my $ignore_term = ($ENV{OBOPS_SANDBOX_IGNORE_TERM} // '') eq '1';

sub listen_on {
    my ($port) = @_;
    socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
    setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1);
    setsockopt($s, SOL_SOCKET, SO_REUSEPORT, 1);
    my $addr = inet_aton($ip) or die "bad ip $ip\n";
    bind($s, pack_sockaddr_in($port, $addr)) or die "bind $ip:$port: $!\n";
    listen($s, 64) or die "listen $ip:$port: $!\n";
    return $s;
}

pipe(my $ready_r, my $ready_w) or die "pipe: $!\n";
my $child = fork() // die "fork: $!\n";
if ($child) {
    close $ready_w;
    my $answer = <$ready_r> // "observer exited before it was ready\n";
    if ($answer eq "ok\n") { exit 0; }
    print $answer;
    exit 1;
}

close $ready_r;
POSIX::setsid();
my ($mysql, $rpc);
eval {
    $mysql = listen_on($mysql_port);
    $rpc   = listen_on($rpc_port);
    mkdir "$home/run";
    open(my $pf, '>', "$home/run/observer.pid.tmp") or die "pid file: $!\n";
    print $pf "$$\n";
    close $pf or die "pid file: $!\n";
    rename("$home/run/observer.pid.tmp", "$home/run/observer.pid") or die "pid file: $!\n";
    1;
} or do {
    print $ready_w "error: $@";
    exit 1;
};
$0 = join("\0", $self, @args);
open(STDIN,  '<', '/dev/null');
open(STDOUT, '>', '/dev/null');
open(STDERR, '>', '/dev/null');

my $terminating = 0;
$SIG{TERM} = $ignore_term ? 'IGNORE' : sub { $terminating = 1; };
$SIG{HUP} = 'IGNORE';
print $ready_w "ok\n";
close $ready_w;

my $fds = '';
vec($fds, fileno($mysql), 1) = 1;
vec($fds, fileno($rpc), 1) = 1;
while (!$terminating) {
    my $readable = $fds;
    my $n = select($readable, undef, undef, 5);
    next unless $n && $n > 0;
    for my $s ($mysql, $rpc) {
        if (vec($readable, fileno($s), 1) && accept(my $c, $s)) { close $c; }
    }
}
select(undef, undef, undef, $term_delay) if $term_delay > 0;
exit 0;
