"""Work with partners: article-60 placements, programmes and their sessions and
referrals, VDAB registrations, employment and MMPP advices. Records of a client, so it
builds on `casework` (never the other way round)."""
