#!/usr/bin/perl
# A simulated OceanBase observer for the obops sandbox: it looks like the real one from the outside
# (argv[0] is HOME/bin/observer, HOME/run/observer.pid, listening mysql and rpc ports) and costs a
# few MB. Started the way obd starts an observer: cd HOME; HOME/bin/observer -p MYSQL_PORT ...
#   -p mysql_port  -P rpc_port  -I ip  (other obd options are accepted and ignored)
# Like the real one, it reads the parameters it was deployed with from HOME/etc/observer.config.bin
# (here "key=value" lines: mysql_port, rpc_port, ip; and, sandbox only, serve_after_ms: how long
# it takes, pid file written, before it listens, as a real observer replaying its log) and options
# override them, so obd's restart
# command "cd HOME; HOME/bin/observer -p MYSQL_PORT" works. It appends to HOME/log/observer.log.
# Environment (invisible in /proc/PID/cmdline):
#   OBOPS_SANDBOX_TERM_DELAY_MS  how long to take to exit after SIGTERM (default 0)
#   OBOPS_SANDBOX_IGNORE_TERM=1  ignore SIGTERM (only SIGKILL stops it)
# The launching process exits 0 once the daemon listens and has written its pid file, or 1 with
# the reason on stdout. Its ports are bound without SO_REUSEPORT, as the real observer's: a second
# observer on the same address fails at once ("bind ...: Address already in use").
# SIGUSR1 (mysql port) / SIGUSR2 (rpc port): fork a child that keeps that listening socket open
# and sleeps ("a port held by another process", as a helper that inherited it would); its argv[0]
# is obops-sandbox-port-holder and it writes its pid to HOME/run/port-holder-PORT.pid.
use strict;
use warnings;
use Socket qw(PF_INET SOCK_STREAM SOL_SOCKET SO_REUSEADDR inet_aton pack_sockaddr_in);
use POSIX ();

my $self = $0;
my @args = @ARGV;
my ($mysql_port, $rpc_port, $ip) = (2881, 2882, '0.0.0.0');
my $serve_after_ms = 0;
(my $home = $self) =~ s{/bin/observer\z}{}s or die "not started as HOME/bin/observer: $self\n";

sub observer_log {
    my ($level, $line) = @_;
    mkdir "$home/log";
    if (open(my $l, '>>', "$home/log/observer.log")) {
        my @t = localtime();
        printf $l "[%04d-%02d-%02d %02d:%02d:%02d] %s [%d] %s\n",
            $t[5] + 1900, $t[4] + 1, @t[3, 2, 1, 0], $level, $$, $line;
        close $l;
    }
}

sub fail {
    my ($why) = @_;
    chomp $why;
    observer_log('ERROR', $why);
    print "$why\n";
    exit 1;
}

if (open(my $cf, '<', "$home/etc/observer.config.bin")) {
    my $n = 0;
    while (my $line = <$cf>) {
        $n++;
        chomp $line;
        next if $line eq '' || $line =~ /^#/;
        if    ($line =~ /^mysql_port=(\d{1,5})\z/) { $mysql_port = $1; }
        elsif ($line =~ /^rpc_port=(\d{1,5})\z/)   { $rpc_port   = $1; }
        elsif ($line =~ /^ip=([0-9.]+)\z/)          { $ip         = $1; }
        elsif ($line =~ /^serve_after_ms=(\d{1,7})\z/) { $serve_after_ms = $1; }
        else { fail("cannot parse etc/observer.config.bin line $n: the saved parameters are damaged"); }
    }
    close $cf;
}
while (@ARGV) {
    my $opt = shift @ARGV;
    if    ($opt eq '-p') { $mysql_port = shift @ARGV; }
    elsif ($opt eq '-P') { $rpc_port   = shift @ARGV; }
    elsif ($opt eq '-I') { $ip         = shift @ARGV; }
    else                 { shift @ARGV if @ARGV && $ARGV[0] !~ /^-/; }
}
my $term_delay = ($ENV{OBOPS_SANDBOX_TERM_DELAY_MS} // 0) / 1000.0;
my $ignore_term = ($ENV{OBOPS_SANDBOX_IGNORE_TERM} // '') eq '1';

sub listen_on {
    my ($port) = @_;
    socket(my $s, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
    setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1);
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
    fail($answer);
}

close $ready_r;
POSIX::setsid();
my ($mysql, $rpc);
eval {
    if (!$serve_after_ms) {
        $mysql = listen_on($mysql_port);
        $rpc   = listen_on($rpc_port);
    }
    mkdir "$home/run";
    open(my $pf, '>', "$home/run/observer.pid.tmp") or die "pid file: $!\n";
    print $pf "$$\n";
    close $pf or die "pid file: $!\n";
    rename("$home/run/observer.pid.tmp", "$home/run/observer.pid") or die "pid file: $!\n";
    observer_log('INFO', $serve_after_ms
        ? "observer is replaying its log; it serves in $serve_after_ms ms"
        : "observer is serving: mysql $ip:$mysql_port, rpc $ip:$rpc_port");
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
my $hold = '';
$SIG{TERM} = $ignore_term ? 'IGNORE' : sub { $terminating = 1; };
$SIG{HUP} = 'IGNORE';
$SIG{USR1} = sub { $hold = 'mysql'; };
$SIG{USR2} = sub { $hold = 'rpc'; };
print $ready_w "ok\n";
close $ready_w;
if ($serve_after_ms) {
    select(undef, undef, undef, $serve_after_ms / 1000.0);
    eval {
        $mysql = listen_on($mysql_port);
        $rpc   = listen_on($rpc_port);
        1;
    } or do {
        observer_log('ERROR', $@);
        exit 1;
    };
    observer_log('INFO', "observer is serving: mysql $ip:$mysql_port, rpc $ip:$rpc_port");
}

# A child that keeps one listening socket open after the observer is gone.
sub hold_port {
    my ($which) = @_;
    my ($keep, $other, $port) =
        $which eq 'mysql' ? ($mysql, $rpc, $mysql_port) : ($rpc, $mysql, $rpc_port);
    my $pid = fork();
    return if !defined $pid || $pid;
    close $other;
    $SIG{TERM} = 'DEFAULT';
    $SIG{USR1} = $SIG{USR2} = 'IGNORE';
    $0 = "obops-sandbox-port-holder $ip:$port";
    if (open(my $pf, '>', "$home/run/port-holder-$port.pid.tmp")) {
        print $pf "$$\n";
        close $pf;
        rename("$home/run/port-holder-$port.pid.tmp", "$home/run/port-holder-$port.pid");
    }
    sleep 1000 while 1;
}

my $fds = '';
vec($fds, fileno($mysql), 1) = 1;
vec($fds, fileno($rpc), 1) = 1;
while (!$terminating) {
    if ($hold) {
        hold_port($hold);
        $hold = '';
    }
    my $readable = $fds;
    my $n = select($readable, undef, undef, 1);
    next unless $n && $n > 0;
    for my $s ($mysql, $rpc) {
        if (vec($readable, fileno($s), 1) && accept(my $c, $s)) { close $c; }
    }
}
select(undef, undef, undef, $term_delay) if $term_delay > 0;
exit 0;
