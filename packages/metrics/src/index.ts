export { Day, addDays, dayRangeBounds, defaultRange, rangeLength, type DayRange } from './day-range.ts';
export {
  channelOverview,
  dailyVolume,
  dataExtent,
  overviewTotal,
  type ChannelOverviewRow,
  type DailyVolumeRow,
  type DataExtent,
  type OverviewTotal,
} from './overview.ts';
