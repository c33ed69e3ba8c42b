# The admin host's Debian 12 AMI as the container suite stands it in (admin-host.test.ts): systemd
# as PID 1, Python and sudo for Ansible, and the SSH server the AMI comes with, which the role
# removes.
FROM debian:bookworm
RUN apt-get update \
  && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    systemd systemd-sysv python3 sudo openssh-server \
  && rm -rf /var/lib/apt/lists/*
STOPSIGNAL SIGRTMIN+3
CMD ["/lib/systemd/systemd"]
