"""Writes of the support capability, one module per part: bookings (the public side and the slots), setup (motifs,
ranges, absences), projects and referrals."""
