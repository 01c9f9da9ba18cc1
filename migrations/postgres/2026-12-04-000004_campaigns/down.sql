DROP TABLE campaign_tallies;
DROP TABLE campaign_targets;
DROP TABLE campaigns;
