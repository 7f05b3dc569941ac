#!/usr/bin/perl
# Drives Gatehouse with Net::Duo (Debian libnet-duo-perl), unchanged: v2 HMAC-SHA1, the port in
# the signed host, limit=500 pages. Called by test/http/duo/other-clients.test.ts; prints JSON.
use strict;
use warnings;
use JSON;
use LWP::UserAgent;
use Net::Duo::Admin;
use Net::Duo::Admin::User;

my $ua  = LWP::UserAgent->new(ssl_opts => { SSL_ca_file => $ENV{DUO_CA} });
my $duo = Net::Duo::Admin->new({
    integration_key => $ENV{DUO_IKEY},
    secret_key      => $ENV{DUO_SKEY},
    api_hostname    => "127.0.0.1:$ENV{DUO_PORT}",
    user_agent      => $ua,
});

my %out;
my $user = Net::Duo::Admin::User->create($duo, {
    username => 'perl-larry', realname => 'Larry Wall', email => 'larry@example.com',
});
$out{created} = { user_id => $user->user_id, username => $user->username, realname => $user->realname };
$user->set_realname('Larry A. Wall');
$user->set_notes('made by Net::Duo');
$user->commit;
my $found = $duo->user('perl-larry');
$out{committed} = { realname => $found->realname, notes => $found->notes };
$out{codes} = $user->bypass_codes({ count => 3, valid_secs => 600 });
my @users = $duo->users;
$out{listed} = scalar(@users);
$out{integrations} = [ map { $_->integration_key } $duo->integrations ];
$user->delete;
$out{after_delete} = defined($duo->user('perl-larry')) ? 'still there' : 'gone';
print encode_json(\%out), "\n";
